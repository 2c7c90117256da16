using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Worker.Hosting;
using Pipeline.Worker.Hosting.Systemd;

namespace Pipeline.Worker.Tests.Hosting.Service;

/// <summary>A worker host in service mode over a temporary folder, with its logs captured and its configuration editable.</summary>
internal sealed class ServiceHost : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly Task<int> _run;

    private ServiceHost(IHost host, LogCapture logs, ReloadableConfiguration configuration)
    {
        _host = host;
        Logs = logs;
        Configuration = configuration;
        _run = host.RunBatchAsync();
    }

    public LogCapture Logs { get; }

    public ReloadableConfiguration Configuration { get; }

    public static ServiceHost Start(string directory, SystemdNotifier? notifier = null, string? settingsFile = null, params string[] args)
    {
        var logs = new LogCapture();
        var configuration = new ReloadableConfiguration();
        string[] all =
        [
            "--Pipeline:RunMode=Service",
            $"--Pipeline:Service:Inbox={Path.Combine(directory, "inbox")}",
            $"--Pipeline:Service:Outbox={Path.Combine(directory, "outbox")}",
            $"--Pipeline:Service:Done={Path.Combine(directory, "done")}",
            "--Pipeline:Service:PollInterval=00:00:00.050",
            $"--Pipeline:StateDirectory={Path.Combine(directory, "state")}",
            $"--Pipeline:Output={Path.Combine(directory, "results.jsonl")}",
            $"--Pipeline:Telemetry:Report={Path.Combine(directory, "trace-report.html")}",

            // Service mode refuses loopback by default (inbox files come from others); the test origin is loopback.
            "--Pipeline:Http:LoopbackAddresses=Allow",
            .. args,
        ];
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Pipeline.Worker=Information", .. all],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddPipelineWorker(all, new ConsoleOutput(TextWriter.Null, TextWriter.Null, isInteractive: false));
        if (settingsFile is not null)
        {
            // As the host adds appsettings.json: watched, so a save reloads it.
            builder.Configuration.AddJsonFile(settingsFile, optional: false, reloadOnChange: true);
        }

        ((IConfigurationBuilder)builder.Configuration).Add(configuration);
        builder.Logging.AddProvider(logs);
        if (notifier is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(notifier));
        }

        return new ServiceHost(builder.Build(), logs, configuration);
    }

    /// <summary>Stops the service as SIGTERM would and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        _host.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        return await _run.WaitAsync(TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        _host.Dispose();
    }
}
