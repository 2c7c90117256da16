using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Telemetry;

[Collection(MeterIsolation.Name)]
public sealed class PipelineMetricsTests : IAsyncLifetime
{
    private readonly MeterCapture _meter = new();
    private TestOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync()
    {
        _meter.Dispose();
        await _origin.DisposeAsync();
    }

    [Fact]
    public async Task RunAsync_MixedLines_CountsEveryLineOnceByOutcome()
    {
        using var services = PipelineServices.Create();
        string[] lines = [_origin.Url("ok?i=1"), _origin.Url("ok?i=2"), _origin.Url("status/404"), "http://127.0.0.1:9/refused", "not a url"];
        var plan = new RunPlan { Mode = PipelineMode.Sequential, Sources = [new ListUrlSource("list", lines)], Sink = new RecordingSink() };

        await services.Runner().RunAsync(plan, CancellationToken.None).Guarded();

        var mode = ("pipeline.mode", (object)"sequential");
        Assert.Equal(5, _meter.Sum("pipeline.items.enqueued", mode));
        Assert.Equal(5, _meter.Sum("pipeline.items.settled", mode));
        Assert.Equal(2, _meter.Sum("pipeline.items.settled", mode, ("pipeline.outcome", "succeeded")));
        Assert.Equal(1, _meter.Sum("pipeline.items.settled", mode, ("pipeline.outcome", "http_error")));
        Assert.Equal(1, _meter.Sum("pipeline.items.settled", mode, ("pipeline.outcome", "failed")));
        Assert.Equal(1, _meter.Sum("pipeline.items.settled", mode, ("pipeline.outcome", "invalid")));
        Assert.Equal(1, _meter.Sum("pipeline.items.failed", mode, ("error.type", "404")));
        Assert.Equal(1, _meter.Sum("pipeline.items.failed", mode, ("error.type", "connection_error")));
        Assert.Equal(1, _meter.Sum("pipeline.items.abandoned", mode, ("pipeline.reason", "invalid")));
        Assert.Equal(4, _meter.Count("pipeline.fetch.duration", mode));
        Assert.Equal(5, _meter.Count("pipeline.channel.wait", mode));
    }

    [Fact]
    public async Task RunAsync_MixedLines_OutcomeAttributesAreTheSummarysNamesAndCounts()
    {
        using var services = PipelineServices.Create();
        var ok = _origin.Url("ok?i=1");
        string[] lines = [ok, _origin.Url("ok?i=2"), _origin.Url("status/404"), "http://127.0.0.1:9/refused", "not a url", ok];
        var plan = new RunPlan { Mode = PipelineMode.Concurrent, Concurrency = 2, Sources = [new ListUrlSource("list", lines)], Sink = new RecordingSink() };

        var summary = await services.Runner().RunAsync(plan, CancellationToken.None).Guarded();

        // The metric's pipeline.outcome values are the results file's and the summaries' names, one per line.
        var mode = ("pipeline.mode", (object)"concurrent");
        string[] names = ["succeeded", "http_error", "failed", "invalid", "duplicate", "cancelled", "pending"];
        Assert.Equal(names, summary.Outcomes.Select(o => WireNames.Outcome(o.Key)));
        foreach (var (outcome, count) in summary.Outcomes)
        {
            Assert.Equal(count, _meter.Sum("pipeline.items.settled", mode, ("pipeline.outcome", WireNames.Outcome(outcome))));
        }

        Assert.Equal([2, 1, 1, 1, 1, 0, 0], summary.Outcomes.Select(o => o.Value));
        Assert.Equal(lines.Length, _meter.Sum("pipeline.items.settled", mode));
        Assert.Equal(1, _meter.Sum("pipeline.items.abandoned", mode, ("pipeline.reason", "duplicate")));
    }

    [Fact]
    public async Task RunAsync_WhileFetchesWait_GaugesShowInFlightAndQueueDepth()
    {
        const int Consumers = 2;
        var fetcher = new GatedFetcher(signalAfterStarted: Consumers);
        var runner = new PipelineRunner(fetcher, TimeProvider.System, NullLogger<PipelineRunner>.Instance);
        var source = new CountingSource(new ListUrlSource("list", [.. Enumerable.Range(1, 5).Select(i => $"http://127.0.0.1:9/{i}")]));
        var plan = new RunPlan { Mode = PipelineMode.Concurrent, Concurrency = Consumers, ChannelCapacity = 10, Sources = [source], Sink = new RecordingSink() };

        var run = runner.RunAsync(plan, CancellationToken.None);
        await Task.WhenAll(fetcher.Started, source.Exhausted).Guarded();
        _meter.Observe();
        fetcher.Open();
        await run.Guarded();
        _meter.Observe();

        var concurrent = ("pipeline.mode", (object)"concurrent");
        Assert.Equal([Consumers], _meter.Values("pipeline.fetches.in_flight", concurrent));
        Assert.Equal([5 - Consumers], _meter.Values("pipeline.channel.depth", concurrent));
    }
}
