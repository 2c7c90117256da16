using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running;

/// <summary>What differs between the modes; what they share is in <see cref="Contract.RunnerContractTests"/>.</summary>
public sealed class PipelineRunnerTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task RunAsync_SequentialMode_NeverOverlapsFetches()
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();
        var source = new ListUrlSource("list", _origin.Urls("delay/10", 12));

        var summary = await services.Runner().RunAsync(Plan(PipelineMode.Sequential, sink, source, concurrency: 8), CancellationToken.None).Guarded();

        Assert.Equal(12, summary.Succeeded);
        Assert.Equal(1, summary.PeakInFlight);
        Assert.Equal(1, _origin.Stats.PeakInFlight);
        Assert.All(sink.Results, r => Assert.Equal(0, r.ConsumerId));
        Assert.All(sink.Results, r => Assert.Equal(PipelineMode.Sequential, r.Mode));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    public async Task RunAsync_ConcurrentMode_ReachesConfiguredConcurrencyAtTheServer(int concurrency)
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();

        // The first `concurrency` requests are only answered once that many are waiting at once.
        var source = new ListUrlSource("list", _origin.Urls($"barrier/c{concurrency}/{concurrency}", concurrency * 3));

        var summary = await services.Runner().RunAsync(Plan(PipelineMode.Concurrent, sink, source, concurrency), CancellationToken.None).Guarded();

        Assert.Equal(concurrency * 3, summary.Succeeded);
        Assert.Equal(concurrency, _origin.Stats.PeakInFlight);
        Assert.Equal(concurrency, summary.PeakInFlight);
        Assert.Equal(Enumerable.Range(0, concurrency), sink.Results.Select(r => r.ConsumerId).Distinct().Order());
    }

    [Fact]
    public async Task RunAsync_ServerSlowerThanRequestTimeout_FailsThatUrlWithTheReason()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { ["Pipeline:Http:RequestTimeout"] = "00:00:00.100" });
        var sink = new RecordingSink();

        var summary = await services.Runner().RunAsync(Plan(PipelineMode.Sequential, sink, new ListUrlSource("list", [_origin.Url("hang"), _origin.Url("ok")])), CancellationToken.None).Guarded();

        Assert.False(summary.Interrupted);
        Assert.Equal(1, summary.Succeeded);
        var timedOut = sink.Results.Single(r => r.Line == 1);
        Assert.Equal(FetchOutcome.Failed, timedOut.Outcome);
        Assert.Equal("timed out after 0.1 s waiting for the response headers", timedOut.Error);
    }

    private static RunPlan Plan(PipelineMode mode, RecordingSink sink, IUrlSource source, int concurrency = 4)
        => new() { Mode = mode, Concurrency = concurrency, ChannelCapacity = 4, ResultChannelCapacity = 4, Sources = [source], Sink = sink };
}
