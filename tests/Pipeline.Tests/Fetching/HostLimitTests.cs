using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Fetching;

/// <summary>Per-host permits through a whole run: concurrency and rate per host, and waiting that honours cancellation.</summary>
public sealed class HostLimitTests : OriginTest
{

    [Fact]
    public async Task RunAsync_MaxConcurrencyPerHost_CapsInFlightRequestsToTheHost()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { ["Pipeline:Http:MaxConcurrencyPerHost"] = "2" });
        var sink = new RecordingSink();

        // The barrier answers only once two requests wait together, so the run ends only if the
        // limit lets two through; the origin's peak shows it never let more.
        var plan = Plan(sink, concurrency: 6, Origin.Urls("barrier/host2/2", 12));
        var summary = await services.Runner().RunAsync(plan, CancellationToken.None).Guarded();

        Assert.Equal(12, summary.Succeeded);
        Assert.Equal(2, Origin.Stats.PeakInFlight);
    }

    [Fact]
    public async Task RunAsync_MaxConcurrencyPerHost_DoesNotLimitOtherHosts()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { ["Pipeline:Http:MaxConcurrencyPerHost"] = "1" });
        var sink = new RecordingSink();

        // Same origin under two host names: each name has its own permit, so both requests can
        // wait at the barrier together.
        var other = new UriBuilder(Origin.Url("barrier/hosts/2")) { Host = "localhost" }.Uri.ToString();
        var plan = Plan(sink, concurrency: 2, [Origin.Url("barrier/hosts/2"), other]);
        var summary = await services.Runner().RunAsync(plan, CancellationToken.None).Guarded();

        Assert.Equal(2, summary.Succeeded);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileConsumersWaitForAPermit_EndsAndCancelsThem()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { ["Pipeline:Http:MaxConcurrencyPerHost"] = "1" });
        var sink = new RecordingSink();
        var started = new Tally();
        var observer = new CallbackObserver { FetchStarted = (_, _) => started.Increment() };
        var plan = new RunPlan { Mode = PipelineMode.Concurrent, Concurrency = 3, Sources = [new ListUrlSource("list", Origin.Urls("hang", 3))], Sink = sink, Observer = observer };
        using var stop = new CancellationTokenSource();

        var run = services.Runner().RunAsync(plan, stop.Token);
        await Task.WhenAll(started.WhenReached(3), Origin.HangsStarted.WhenReached(1)).Guarded();
        await stop.CancelAsync();
        var summary = await run.Guarded();

        Assert.True(summary.Interrupted);
        Assert.Equal(3, summary.Cancelled);
        Assert.Equal(1, Origin.HangsStarted.Count);
    }

    [Fact]
    public async Task RunAsync_RateLimitPerHost_HoldsRequestsBeyondTheRateUntilTheBudgetEnds()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?>
        {
            ["Pipeline:Http:RateLimitPerHost"] = "2",
            ["Pipeline:Http:RateLimitPeriod"] = "01:00:00",
            ["Pipeline:Http:TotalTimeout"] = "00:00:02",
        });
        var sink = new RecordingSink();

        var summary = await services.Runner().RunAsync(Plan(sink, concurrency: 1, Origin.Urls("ok", 3)), CancellationToken.None).Guarded();

        Assert.Equal(2, summary.Succeeded);
        var held = Assert.Single(sink.Results, r => r.Outcome == FetchOutcome.Failed);
        Assert.Equal("per-URL budget of 2 s exhausted waiting for a permit for host 127.0.0.1 after 0 attempt(s)", held.Error);
        Assert.Equal(0, held.Attempts);
        Assert.Equal(2, Origin.Stats.Requests);
    }

    private static RunPlan Plan(RecordingSink sink, int concurrency, IReadOnlyList<string> urls)
        => new() { Mode = PipelineMode.Concurrent, Concurrency = concurrency, Sources = [new ListUrlSource("list", urls)], Sink = sink };
}
