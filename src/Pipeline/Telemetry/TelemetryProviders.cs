using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Pipeline.Telemetry;

/// <summary>
/// Owns the <see cref="TracerProvider"/> and <see cref="MeterProvider"/>: built from the options
/// when the host starts, flushed when it stops and disposed with the service provider.
/// </summary>
/// <remarks>
/// OpenTelemetry.Extensions.Hosting, which would normally do this, is not available here, so the
/// providers are built with <see cref="Sdk"/> directly and their lifetime is the container's.
/// </remarks>
internal sealed class TelemetryProviders : IDisposable
{
    /// <summary>The source HttpClient's own client spans come from; they nest under <c>fetch url</c>.</summary>
    public const string HttpClientSourceName = "System.Net.Http";

    private const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    private readonly TracerProvider _tracing;
    private readonly MeterProvider _metrics;

    public TelemetryProviders(IOptions<TelemetryOptions> options, FetchSpanCollector collector, TelemetryConsole console, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(console);
        ArgumentNullException.ThrowIfNull(loggerFactory);
        var settings = options.Value;
        var logger = loggerFactory.CreateLogger(typeof(TelemetryProviders).FullName!);

        // HttpClient's own spans matter only to an exporter; the in-process collector reads the
        // fetch spans alone. Without an exporter, not listening spares every request a second
        // span and its traceparent header (about 1.1 KB allocated per request).
        var tracing = Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(Describe)
            .AddSource(settings.Exporters == TelemetryExporters.None ? [PipelineTelemetry.Name] : [PipelineTelemetry.Name, HttpClientSourceName])
            .SetSampler(new RecordEverythingSampler(settings.SamplingRatio))
            .AddProcessor(collector);
        if (settings.Exporters.HasFlag(TelemetryExporters.Console))
        {
            // Simple, not batched: a line appears as its span ends, before the summary is printed.
            tracing.AddProcessor(new SimpleActivityExportProcessor(new ConsoleSpanExporter(console.Writer, loggerFactory.CreateLogger<ConsoleSpanExporter>())));
        }

        var metrics = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(Describe)
            .AddMeter(PipelineTelemetry.Name, HttpClientSourceName);
        if (settings.Exporters.HasFlag(TelemetryExporters.Otlp))
        {
            tracing.AddOtlpExporter(exporter => Point(exporter, settings, "v1/traces"));
            metrics.AddOtlpExporter(exporter => Point(exporter, settings, "v1/metrics"));
        }

        _tracing = tracing.Build();
        _metrics = metrics.Build();
        Log.TelemetryStarted(logger, settings.Exporters, settings.SamplingRatio);
    }

    /// <summary>Hands every finished span and the latest metrics to the exporters, waiting at most the flush timeout.</summary>
    public void ForceFlush()
    {
        _tracing.ForceFlush(PipelineDefaults.TelemetryFlushMilliseconds);
        _metrics.ForceFlush(PipelineDefaults.TelemetryFlushMilliseconds);
    }

    public void Dispose()
    {
        // Disposing shuts the processors down, which exports what is still queued.
        _tracing.Dispose();
        _metrics.Dispose();
    }

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
