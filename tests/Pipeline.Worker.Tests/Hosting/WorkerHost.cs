using Microsoft.Extensions.Hosting;
using Pipeline.Worker.Hosting;

namespace Pipeline.Worker.Tests.Hosting;

/// <summary>Builds and runs the worker host the way Program.cs does, capturing what a user would see.</summary>
internal static class WorkerHost
{
    public static async Task<(int ExitCode, string Out, string Error)> RunAsync(params string[] args)
    {
        using var @out = new StringWriter();
        using var error = new StringWriter();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = ["--Logging:LogLevel:Default=Warning", .. args],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.AddPipelineWorker(args, new ConsoleOutput(TextWriter.Synchronized(@out), TextWriter.Synchronized(error), isInteractive: false));
        using var host = builder.Build();
        var exitCode = await host.RunBatchAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (exitCode, @out.ToString(), error.ToString());
    }
}
