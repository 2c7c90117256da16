using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipeline.Worker.Hosting;

namespace Pipeline.RabbitMq.Tests.Support;

/// <summary>One role of the broker pipeline as its own generic host in this process, started the way Program.cs starts it.</summary>
public sealed class RoleHost
{
    private readonly StringWriter _out = new();
    private readonly StringWriter _error = new();
    private readonly IHostApplicationLifetime _lifetime;

    private RoleHost(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", .. args],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddPipelineWorker(args, new ConsoleOutput(TextWriter.Synchronized(_out), TextWriter.Synchronized(_error), isInteractive: false));
        var host = builder.Build();
        _lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        Exit = Task.Run(async () =>
        {
            using (host)
            {
                return await host.RunBatchAsync();
            }
        });
    }

    public Task<int> Exit { get; }

    public string Out => _out.ToString();

    public string Error => _error.ToString();

    /// <summary>Starts a role against the given queues, with span output and the HTML report off.</summary>
    public static RoleHost Start(string role, (string Work, string Results) queues, params string[] args) => new(
    [
        "--role", role,
        "--Pipeline:RabbitMq:Uri", Broker.Uri,
        "--Pipeline:RabbitMq:WorkQueue", queues.Work,
        "--Pipeline:RabbitMq:ResultQueue", queues.Results,
        "--Pipeline:Telemetry:Exporters", "None",
        "--Pipeline:Telemetry:Report", string.Empty,

        // The worker role refuses loopback by default (URLs come from others); the test origin is loopback.
        "--Pipeline:Http:LoopbackAddresses", "Allow",
        "--Pipeline:StateDirectory", Path.Combine(Path.GetTempPath(), "pipeline-rmq-tests", Guid.NewGuid().ToString("n")),
        .. args,
    ]);

    /// <summary>Starts a role in-process with exactly these arguments.</summary>
    public static RoleHost StartRaw(params string[] args) => new(args);

    /// <summary>Asks the host to stop, as SIGTERM would, and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!Exit.IsCompleted)
        {
            try
            {
                _lifetime.StopApplication();
            }
            catch (ObjectDisposedException)
            {
                // It ended on its own in the meantime.
            }
        }

        return await Exit.WaitAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>Starts the real worker executable with these arguments, for tests that kill it.</summary>
    public static Process StartProcess(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pipeline.Worker.dll"));
        foreach (var arg in (string[])[.. args, "--Pipeline:Http:LoopbackAddresses=Allow"])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["CI"] = "true";
        return Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
    }

    public static async Task SignalAsync(Process process, string signal)
    {
        using var kill = Process.Start("kill", [signal, process.Id.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }
}
