using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Pipeline.RabbitMq;
using Pipeline.Telemetry;
using Pipeline.Worker.Hosting.Broker;
using Pipeline.Worker.Hosting.Service;
using Pipeline.Worker.Hosting.Systemd;

namespace Pipeline.Worker.Hosting;

/// <summary>Wires the worker host: the pipeline, the demo origin options, console output and the batch worker.</summary>
internal static class PipelineWorkerExtensions
{
    /// <summary>Adds everything the worker needs to the host builder.</summary>
    /// <param name="builder">The host builder.</param>
    /// <param name="args">The command line, for the short switches (<c>--input</c>, <c>--mode</c> …).</param>
    /// <param name="output">Where the summary and progress go; the process console when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IHostApplicationBuilder AddPipelineWorker(this IHostApplicationBuilder builder, string[] args, ConsoleOutput? output = null)
    {
        // The settings search order (WorkerConfiguration) replaces the host's default sources.
        var commandLine = PipelineCommandLine.Parse(args);
        if (commandLine.Error is { } usage)
        {
            throw new ArgumentException(usage, nameof(args));
        }

        var settingsFiles = builder.Configuration.AddPipelineSettings(commandLine, builder.Environment.ContentRootPath, builder.Environment.EnvironmentName);
        builder.Services.AddSingleton(settingsFiles);
        builder.Services.AddHostedService<SettingsFilesLog>();
        if (AutoConcurrency.Overrides(builder.Configuration) is { } auto)
        {
            // Above every other source: `auto` becomes Adaptive:Enabled, and the concurrency a number again.
            builder.Configuration.AddInMemoryCollection(auto);
        }
        builder.Services.AddPipeline(builder.Configuration);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, EntryPointModeValidator>());
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PipelineOptions>, OutputPathsValidator>());
        builder.Services.AddOptions<DemoOptions>()
            .BindChecked(builder.Configuration.GetSection(DemoOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DemoOptions>, DemoOptionsValidator>());
        builder.Services.AddOptions<ServiceOptions>()
            .BindChecked(builder.Configuration.GetSection(ServiceOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ServiceOptions>, ServiceOptionsValidator>());
        builder.Services.AddOptions<ConsoleOptions>()
            .BindChecked(builder.Configuration.GetSection(ConsoleOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();

        // The host must wait for the pipeline's own grace period, and a little more to save state.
        // Read from the raw value: resolving the options here would throw before validation can
        // report a bad setting properly.
        var grace = TimeSpan.TryParse(builder.Configuration[$"{PipelineOptions.SectionName}:{nameof(PipelineOptions.ShutdownGrace)}"], CultureInfo.InvariantCulture, out var configured)
            ? configured
            : new PipelineOptions().ShutdownGrace;
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = grace + TimeSpan.FromSeconds(15));

        // Logs go to stderr so that stdout carries only the summary a script may parse.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(output ?? ConsoleOutput.System);

        // Span lines share stderr with the logs and the live progress line; stdout keeps only the summary.
        builder.Services.Replace(ServiceDescriptor.Singleton(provider => new TelemetryConsole(new ProgressAwareWriter(provider.GetRequiredService<ProgressDisplay>()))));
        builder.Services.AddSingleton<BatchOutcome>();
        builder.Services.AddSingleton<ProgressDisplay>();
#if WINDOWS_SERVICE
        // Under the Service Control Manager: service lifetime, event log, content root handled.
        // Built and used on Windows only; not tested on the Linux development machine.
        builder.Services.AddWindowsService(options => options.ServiceName = "Pipeline");
#endif
        builder.Services.AddSingleton(provider => SystemdNotifier.FromEnvironment(provider.GetService<HeartbeatFile>()));
        builder.Services.AddHostedService<SystemdLifetimeNotifications>();
        if (IsUnderSystemd())
        {
            // journald reads the priority from the "<6>" prefix and stamps the time itself.
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Systemd);
        }

        // Read from the raw value for the same reason as the grace: an invalid value falls back to a
        // batch worker that never runs, because validation stops the host first.
        if (Enum.TryParse<PipelineTransport>(builder.Configuration[$"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Transport)}"], ignoreCase: true, out var transport)
            && transport == PipelineTransport.RabbitMq)
        {
            builder.Services.AddPipelineRabbitMq(builder.Configuration);
            _ = Enum.TryParse<RabbitMqRole>(builder.Configuration[$"{RabbitMqOptions.SectionName}:{nameof(RabbitMqOptions.Role)}"], ignoreCase: true, out var role);
            switch (role)
            {
                case RabbitMqRole.Producer:
                    builder.Services.AddHostedService<ProducerService>();
                    break;
                case RabbitMqRole.Worker:
                    builder.Services.AddHostedService<QueueWorkerService>();
                    break;
                case RabbitMqRole.Collector:
                    builder.Services.AddHostedService<CollectorService>();
                    break;
                default:
                    // No role: validation reports it before anything would run.
                    break;
            }
        }
        else if (Enum.TryParse<RunMode>(builder.Configuration[$"{PipelineOptions.SectionName}:{nameof(PipelineOptions.RunMode)}"], ignoreCase: true, out var runMode)
            && runMode == RunMode.Service)
        {
            builder.Services.AddSingleton<LiveSettings>();
            builder.Services.AddHostedService<ServiceWorker>();
            builder.Services.AddSingleton(provider => new HeartbeatFile(provider.GetRequiredService<IOptions<ServiceOptions>>().Value.HeartbeatFile, provider.GetRequiredService<TimeProvider>()));
        }
        else
        {
            builder.Services.AddHostedService<PipelineWorker>();
        }

        return builder;
    }

    /// <summary>Gets a value indicating whether systemd started this process with its output going to the journal.</summary>
    /// <returns><see langword="true"/> under systemd.</returns>
    internal static bool IsUnderSystemd()
        => OperatingSystem.IsLinux() && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("JOURNAL_STREAM"))
            && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("INVOCATION_ID"));

    /// <summary>Runs the host until the batch ends and returns the process exit code.</summary>
    /// <param name="host">The built host.</param>
    /// <returns>0 on success, 3 when finished with failed URLs, 2 for invalid configuration, 130 when interrupted, 1 when the worker failed.</returns>
    public static async Task<int> RunBatchAsync(this IHost host)
    {
        // RunAsync disposes the host: take what is needed afterwards first.
        var outcome = host.Services.GetRequiredService<BatchOutcome>();
        var error = host.Services.GetRequiredService<ConsoleOutput>().Error;
        try
        {
            // Validate before starting, so a bad setting is reported as such and not as a host
            // that failed to start, with a stack trace a user has no use for.
            host.Services.GetService<IStartupValidator>()?.Validate();
            await host.RunAsync();
        }
        catch (Exception ex) when (ConfigurationErrors.From(ex) is { Count: > 0 } errors)
        {
            await error.WriteLineAsync("Invalid configuration (appsettings.json, environment variables or command line):");
            foreach (var message in errors)
            {
                await error.WriteLineAsync("  - " + message);
            }

            await error.FlushAsync();
            return ExitCodes.InvalidConfiguration;
        }

        return outcome.ExitCode;
    }
}
