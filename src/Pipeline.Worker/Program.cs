using Microsoft.Extensions.Hosting;
using Pipeline.Worker.Hosting;

var commandLine = PipelineCommandLine.Parse(args);
switch (commandLine)
{
    case { Error: { } error }:
        await Console.Error.WriteLineAsync(error);
        return ExitCodes.InvalidConfiguration;
    case { Action: CommandLineAction.Help }:
        await Console.Out.WriteAsync(PipelineCommandLine.Help());
        return ExitCodes.Success;
    case { Action: CommandLineAction.Version }:
        await Console.Out.WriteLineAsync(PipelineCommandLine.Version());
        return ExitCodes.Success;
    case { Action: CommandLineAction.Health }:
        return await HealthProbe.RunAsync(commandLine, Console.Error);
}

// The content root is the binary's folder, so the appsettings.json beside it is found whatever the
// working directory (a service manager starts us in / or System32). The host's own command-line
// reading gets only the configuration keys; the switches are ours.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = [.. commandLine.ConfigurationArguments],
    ContentRootPath = AppContext.BaseDirectory,
});
builder.AddPipelineWorker(args);
using var host = builder.Build();
return await host.RunBatchAsync();
