using Microsoft.Extensions.Hosting;
using Pipeline.Worker.Hosting;

// The content root is the binary's folder, so the appsettings.json beside it is found whatever the
// working directory (a service manager starts us in / or System32).
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    Args = args,
    ContentRootPath = AppContext.BaseDirectory,
});
builder.AddPipelineWorker(args);
using var host = builder.Build();
return await host.RunBatchAsync();
