using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry.Trace;
using Pipeline.Running;
using Pipeline.Sinks;
using Pipeline.Sources;

namespace Pipeline.Benchmarks.Support;

/// <summary>The whole pipeline with <see cref="NoOpFetcher"/> and a sink to <see cref="Stream.Null"/>: source, work channel, consumers, result channel, serialisation.</summary>
internal static class NoOpPipeline
{
    public static PipelineRunner Runner() => new(new NoOpFetcher(), TimeProvider.System, NullLogger<PipelineRunner>.Instance);

    /// <summary>Builds what the worker always listens with, exporters off included: the sampler and the in-process span collector.</summary>
    /// <returns>The services owning the tracer provider; disposing them stops listening.</returns>
    public static IDisposable Telemetry()
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddPipeline(new ConfigurationBuilder().Build())
            .BuildServiceProvider();

        // Resolving the provider builds it, as the host's OpenTelemetry service does at start.
        _ = services.GetRequiredService<TracerProvider>();
        return services;
    }

    /// <summary>Runs one source through the runner.</summary>
    /// <returns>The number of results that succeeded.</returns>
    public static async Task<long> RunAsync(PipelineRunner runner, IUrlSource source, int consumers, DuplicatePolicy duplicates)
    {
        await using var sink = new JsonLinesResultSink(Stream.Null);
        var summary = await runner.RunAsync(
            new RunPlan
            {
                Mode = consumers == 1 ? PipelineMode.Sequential : PipelineMode.Concurrent,
                Concurrency = consumers,

                // What bench/peer.sh passes: twice the consumers, at least the default.
                ChannelCapacity = Math.Max(2 * consumers, PipelineDefaults.ChannelCapacity),
                Duplicates = duplicates,
                Sources = [source],
                Sink = sink,
            },
            CancellationToken.None);
        return summary.Succeeded;
    }
}
