using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Concurrency;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Concurrency;

/// <summary>
/// Adaptive concurrency through whole runs against the origin's capacity endpoint: a server that serves
/// K requests at once, queues K more (latency grows with the queue) and answers 503 past that. No
/// timing assertions: where the limit settles and how many requests the server turned away.
/// </summary>
public sealed class AdaptiveRunTests : OriginTest
{
    private const int Capacity = 8;
    private static readonly TimeSpan Service = TimeSpan.FromMilliseconds(40);

    // 503 is an answer to learn from, not to retry: each one stays visible in the counts.
    private static readonly Dictionary<string, string?> NoRetries = new() { ["Pipeline:Http:Retry:MaxRetries"] = "0" };

    [Fact]
    public async Task RunAsync_AutoAgainstCapacityK_SettlesNearKAndIsTurnedAwayFarLessThanFixedFourK()
    {
        using var services = PipelineServices.Create(NoRetries);
        var urls = Origin.Server.CapacityUrls(400, Capacity, Service, queue: Capacity);

        var auto = await RunAsync(services, urls, new AdaptiveOptions { Enabled = true });
        var autoRejected = Origin.Server.Station(Capacity, Service, Capacity)!.Rejected;
        var fixedRun = await RunAsync(services, urls, adaptive: null, concurrency: 4 * Capacity);
        var fixedRejected = Origin.Server.Station(Capacity, Service, Capacity)!.Rejected - autoRejected;

        // Settled: the final limit and the time-weighted mean of the second half of the run lie between
        // K/2 and 2K + 1 (2K in flight is where this server starts answering 503: K served, K queued).
        var adaptive = auto.Adaptive!;
        Assert.InRange(adaptive.Final, Capacity / 2, (2 * Capacity) + 1);
        Assert.InRange(SecondHalfMean(adaptive, auto.Wall), Capacity / 2.0, (2 * Capacity) + 1);
        Assert.Equal(400, auto.Succeeded + auto.HttpErrors);

        // Far below: at most a tenth of what 4K consumers provoke (which is most of the list).
        Assert.True(fixedRejected > 100, $"fixed {4 * Capacity} consumers were turned away only {fixedRejected} times");
        Assert.True(autoRejected * 10 <= fixedRejected, $"auto turned away {autoRejected} times, fixed {4 * Capacity} {fixedRejected} times");
    }

    [Fact]
    public async Task RunAsync_AutoAgainstLatencyOnlyOrigin_ClimbsPastTheFixedDefault()
    {
        using var services = PipelineServices.Create(NoRetries);

        var summary = await RunAsync(services, Origin.Server.DelayUrls(600, TimeSpan.FromMilliseconds(100)), new AdaptiveOptions { Enabled = true });

        // No capacity to find: slow start doubles while latency stays at its floor.
        Assert.Equal(600, summary.Succeeded);
        Assert.True(summary.Adaptive!.Max > PipelineDefaults.Concurrency, $"the limit reached only {summary.Adaptive.Max}");
        Assert.Equal(0, Assert.Single(summary.Adaptive.Hosts).Drops);
    }

    [Fact]
    public async Task RunAsync_AutoWithMaxConcurrencyPerHost_NeverAllowsTheHostMore()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>(NoRetries) { ["Pipeline:Http:MaxConcurrencyPerHost"] = "3" });
        var bound = services.GetRequiredService<IOptions<AdaptiveOptions>>().Value;
        var adaptive = new AdaptiveOptions { Enabled = true, PerHostCeiling = bound.PerHostCeiling };

        var summary = await RunAsync(services, Origin.Server.DelayUrls(60, TimeSpan.FromMilliseconds(20)), adaptive);

        Assert.Equal(60, summary.Succeeded);
        Assert.InRange(summary.Adaptive!.Max, 1, 3);
        Assert.InRange(Origin.Stats.PeakInFlight, 1, 3);
    }

    [Fact]
    public async Task RunAsync_AutoWithInvalidAndDuplicateLines_SettlesEveryLine()
    {
        using var services = PipelineServices.Create(NoRetries);
        var url = Origin.Url("ok");
        string[] lines = ["not a url", url, url, Origin.Url("ok?i=2")];

        var summary = await RunAsync(services, lines, new AdaptiveOptions { Enabled = true, Min = 2, Max = 4 });

        Assert.Equal((4, 2, 1, 1), (summary.Total, summary.Succeeded, summary.Invalid, summary.Duplicates));
        Assert.Equal(4, summary.Consumers);
    }

    private static Task<RunSummary> RunAsync(ServiceProvider services, IReadOnlyList<string> urls, AdaptiveOptions? adaptive, int concurrency = 10)
    {
        var plan = new RunPlan
        {
            Mode = PipelineMode.Concurrent,
            Concurrency = concurrency,
            Adaptive = adaptive,
            Sources = [new ListUrlSource("list", urls)],
            Sink = new RecordingSink(),
        };
        return services.Runner().RunAsync(plan, CancellationToken.None).Guarded();
    }

    // The limit's mean over the second half of the run, each value weighted by how long it held.
    private static double SecondHalfMean(AdaptiveSummary adaptive, TimeSpan wall)
    {
        var from = wall / 2;
        double weighted = 0;
        var points = adaptive.Points;
        for (var i = 0; i < points.Count; i++)
        {
            var start = points[i].At > from ? points[i].At : from;
            var end = i + 1 < points.Count ? points[i + 1].At : wall;
            if (end > start)
            {
                weighted += points[i].Limit * (end - start).TotalSeconds;
            }
        }

        return weighted / (wall - from).TotalSeconds;
    }
}
