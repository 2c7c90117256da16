using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Pipeline.RabbitMq;
using Pipeline.Telemetry;
using Pipeline.Worker.Hosting.Broker;
using Pipeline.Worker.Hosting.Service;
using Pipeline.Worker.Hosting.Settings;
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
        builder.Services.AddOptions<WorkerOptions>()
            .BindChecked(builder.Configuration.GetSection(WorkerOptions.SectionName), static (section, options) => section.Bind(options))
            .ValidateOnStart();
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

        // Only the text report reads the fetch spans; a line or JSON summary counts everything (issue 20).
        builder.Services.AddOptions<TelemetryOptions>()
            .PostConfigure<IOptions<ConsoleOptions>>(static (telemetry, console) => telemetry.SummarySpans = console.Value.Summary == SummaryFormat.Report);

        // The host must wait for the pipeline's own grace period and the save after it (see StopBudget).
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = StopBudget.HostShutdownTimeout(builder.Configuration));

        // Logs go to stderr so that stdout carries only the summary a script may parse.
        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddSingleton(output ?? ConsoleOutput.System);

        // Compact span lines share stderr with the logs and the live progress line; stdout keeps only the summary.
        builder.Services.Replace(ServiceDescriptor.Singleton(provider => new TelemetryConsole(new ProgressAwareWriter(provider.GetRequiredService<ProgressDisplay>()))));
        builder.Services.AddSingleton<BatchOutcome>();
        builder.Services.AddSingleton<ProgressDisplay>();
        AddServiceManagers(builder);

        var worker = WorkerOptions.Peek(builder.Configuration);
        if (worker.Transport == PipelineTransport.RabbitMq)
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
        else
        {
            // Not bound in-process, but a known section: the shipped settings may carry it.
            builder.Services.AddConfigurationSection(RabbitMqOptions.SectionName);
            if (worker.RunMode == RunMode.Service)
            {
                // Every settings file keeps its last good settings (WorkerConfiguration); a running
                // service reports every edit (applied, needs a restart, rejected, or does not parse).
                builder.Services.AddHostedService<SettingsReload>();
                builder.Services.AddHostedService<ServiceWorker>();
                builder.Services.AddSingleton(provider => new HeartbeatFile(provider.GetRequiredService<IOptions<ServiceOptions>>().Value.HeartbeatFile, provider.GetRequiredService<TimeProvider>()));
            }
            else
            {
                builder.Services.AddHostedService<PipelineWorker>();
            }
        }

        return builder;
    }

    /// <summary>
    /// Registers what service managers need: under systemd (or any supervisor that sets
    /// <c>$NOTIFY_SOCKET</c>) READY=1/STOPPING=1 and the journald format from Hosting.Systemd, plus
    /// STATUS and WATCHDOG over its notifier; under the Windows Service Control Manager its lifetime.
    /// </summary>
    /// <param name="builder">The host builder.</param>
    internal static void AddServiceManagers(IHostApplicationBuilder builder)
    {
        // Switches itself on only when systemd is the parent process.
        builder.Services.AddSystemd();

        // A supervisor that is not our parent (a test, s6, a container's init) sets NOTIFY_SOCKET
        // too: it gets the same notifications, without the journald format it may not want.
        if (!string.IsNullOrEmpty(builder.Configuration["NOTIFY_SOCKET"]) && !SystemdHelpers.IsSystemdService())
        {
            builder.Services.TryAddSingleton<ISystemdNotifier, SystemdNotifier>();
            builder.Services.AddSingleton<IHostLifetime, SystemdLifetime>();
        }

        builder.Services.AddSingleton(provider => SystemdStatus.FromEnvironment(provider.GetService<ISystemdNotifier>(), provider.GetService<HeartbeatFile>()));

        // A no-op unless the Service Control Manager started the process (never on Linux).
        builder.Services.AddWindowsService(options => options.ServiceName = "Pipeline");
    }

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
