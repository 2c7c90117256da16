using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pipeline.Telemetry;

/// <summary>
/// Registers the pipeline's telemetry on OpenTelemetry.Extensions.Hosting: the host owns the
/// tracer and meter providers (built as it starts, shut down with its container), the options
/// choose the exporters.
/// </summary>
internal static class TelemetryRegistration
{
    /// <summary>The source HttpClient's own client spans come from; they nest under <c>fetch url</c>.</summary>
    public const string HttpClientSourceName = "System.Net.Http";

    private const string ServiceNameVariable = "OTEL_SERVICE_NAME";

    /// <summary>Adds the telemetry options, the in-process span collector and the OpenTelemetry providers.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The configuration holding <c>Pipeline:Telemetry</c>.</param>
    public static void AddPipelineTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TelemetryOptions>()
            .BindChecked(configuration.GetSection(TelemetryOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelemetryOptions>, TelemetryEndpointValidator>());
        services.TryAddSingleton(new TelemetryConsole(Console.Error));
        services.TryAddSingleton(provider => new UrlRedactor(provider.GetRequiredService<IOptions<TelemetryOptions>>().Value));
        services.TryAddSingleton(provider => new FetchSpanCollector(provider.GetRequiredService<IOptions<TelemetryOptions>>().Value.ReportSpanLimit));

        // Which exporters exist decides what is registered, so it is read now, from the raw value.
        // A value that does not parse registers none: validation stops the host before it matters.
        var exporters = ConfiguredExporters(configuration);
        services.AddOpenTelemetry()
            .ConfigureResource(Describe)
            .WithTracing(tracing =>
            {
                // HttpClient's own spans matter only to an exporter; the in-process collector reads the
                // fetch spans alone. Without an exporter, not listening spares every request a second
                // span and its traceparent header (about 1.1 KB allocated per request).
                tracing.AddSource(exporters == TelemetryExporters.None ? [PipelineTelemetry.Name] : [PipelineTelemetry.Name, HttpClientSourceName])
                    .SetSampler(provider => new RecordEverythingSampler(provider.GetRequiredService<IOptions<TelemetryOptions>>().Value.SamplingRatio))
                    .AddProcessor(provider => provider.GetRequiredService<FetchSpanCollector>());
                if (exporters.HasFlag(TelemetryExporters.Compact))
                {
                    // Simple, not batched: a line appears as its span ends, before the summary is printed.
                    tracing.AddProcessor(provider => new SimpleActivityExportProcessor(new CompactSpanExporter(
                        provider.GetRequiredService<TelemetryConsole>().Writer,
                        provider.GetRequiredService<ILoggerFactory>().CreateLogger<CompactSpanExporter>())));
                }

                if (exporters.HasFlag(TelemetryExporters.Console))
                {
                    // The maintained exporter, on standard output; simple too, so records come out in order.
                    tracing.AddConsoleExporter();
                }

                if (exporters.HasFlag(TelemetryExporters.Otlp))
                {
                    tracing.AddOtlpExporter(TracesExporterName, configure: null);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(PipelineTelemetry.Name, HttpClientSourceName);
                if (exporters.HasFlag(TelemetryExporters.Otlp))
                {
                    metrics.AddOtlpExporter(MetricsExporterName, configure: null);
                }
            });

        if (exporters.HasFlag(TelemetryExporters.Otlp))
        {
            // Named options, configured from ours when they are first read (after validation).
            services.AddOptions<OtlpExporterOptions>(TracesExporterName).Configure<IOptions<TelemetryOptions>>((exporter, telemetry) => Point(exporter, telemetry.Value, "v1/traces"));
            services.AddOptions<OtlpExporterOptions>(MetricsExporterName).Configure<IOptions<TelemetryOptions>>((exporter, telemetry) => Point(exporter, telemetry.Value, "v1/metrics"));
            services.AddHostedService<OtlpExportWatch>();
        }

        // After AddOpenTelemetry's own hosted service, before any worker: stopped after the worker.
        services.AddHostedService<TelemetryFlush>();
    }

    private const string TracesExporterName = "pipeline-traces";
    private const string MetricsExporterName = "pipeline-metrics";

    /// <summary>Reads <c>Pipeline:Telemetry:Exporters</c> as the options binder would, or <see cref="TelemetryExporters.None"/> when it does not parse.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The exporters.</returns>
    internal static TelemetryExporters ConfiguredExporters(IConfiguration configuration)
        => Enum.TryParse<TelemetryExporters>(configuration[$"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.Exporters)}"], ignoreCase: true, out var parsed)
            ? parsed
            : PipelineDefaults.Exporters;

    private static void Describe(ResourceBuilder resource)
    {
        // OTEL_SERVICE_NAME, read by the default resource, wins over our name when set.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(ServiceNameVariable)))
        {
            resource.AddService(PipelineTelemetry.Name, serviceVersion: typeof(PipelineTelemetry).Assembly.GetName().Version?.ToString());
        }
    }

    private static void Point(OtlpExporterOptions exporter, TelemetryOptions settings, string signalPath)
    {
        // Whatever is not set here keeps what the exporter read from OTEL_EXPORTER_OTLP_*.
        if (settings.OtlpProtocol is { } protocol)
        {
            exporter.Protocol = protocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
        }

        if (settings.OtlpEndpoint is { } endpoint)
        {
            // An endpoint set in code is used as is; the variable gets the signal path appended.
            // Do the same here so one base address serves both traces and metrics.
            exporter.Endpoint = exporter.Protocol == OtlpExportProtocol.HttpProtobuf
                ? new Uri(endpoint.AbsoluteUri.EndsWith('/') ? endpoint : new Uri(endpoint.AbsoluteUri + "/"), signalPath)
                : endpoint;
        }
    }
}
