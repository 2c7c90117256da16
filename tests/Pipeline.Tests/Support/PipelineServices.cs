using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipeline.Running;

namespace Pipeline.Tests.Support;

/// <summary>Builds the pipeline's services as the host does, from in-memory settings.</summary>
public static class PipelineServices
{
    /// <summary>Settings under the test's own: retries back off for milliseconds, not seconds, so the suite stays fast.</summary>
    private static readonly Dictionary<string, string?> FastRetries = new()
    {
        ["Pipeline:Http:Retry:BaseDelay"] = "00:00:00.010",
        ["Pipeline:Http:Retry:MaxDelay"] = "00:00:00.050",
    };

    public static ServiceProvider Create(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(FastRetries)
            .AddInMemoryCollection(settings ?? new Dictionary<string, string?>())
            .Build();
        var services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddPipeline(configuration);
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public static PipelineRunner Runner(this ServiceProvider services) => services.GetRequiredService<PipelineRunner>();

    /// <summary>Starts the hosted services as a host would: this builds the telemetry providers.</summary>
    public static async Task StartHostedAsync(this ServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>())
        {
            await hosted.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>Stops the hosted services in reverse order, as a host would: this flushes telemetry.</summary>
    public static async Task StopHostedAsync(this ServiceProvider services)
    {
        foreach (var hosted in services.GetServices<IHostedService>().Reverse())
        {
            await hosted.StopAsync(CancellationToken.None);
        }
    }
}
