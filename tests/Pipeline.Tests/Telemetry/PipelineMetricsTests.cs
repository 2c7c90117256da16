using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Telemetry;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Telemetry;

[Collection(MeterIsolation.Name)]
public sealed class PipelineMetricsTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task RunAsync_MixedLines_CountsEveryLineOnceByOutcome()
    {
        using var enqueued = Collect<long>("pipeline.items.enqueued");
        using var settled = Collect<long>("pipeline.items.settled");
        using var failed = Collect<long>("pipeline.items.failed");
        using var abandoned = Collect<long>("pipeline.items.abandoned");
        using var duration = Collect<double>("pipeline.fetch.duration");
        using var wait = Collect<double>("pipeline.channel.wait");
        using var services = PipelineServices.Create();
        string[] lines = [_origin.Url("ok?i=1"), _origin.Url("ok?i=2"), _origin.Url("status/404"), "http://127.0.0.1:9/refused", "not a url"];
        var plan = new RunPlan { Mode = PipelineMode.Sequential, Sources = [new ListUrlSource("list", lines)], Sink = new RecordingSink() };

        await services.Runner().RunAsync(plan, CancellationToken.None).Guarded();

        var mode = Tag("pipeline.mode", "sequential");
        Assert.Equal(5, Sum(enqueued, mode));
        Assert.Equal(5, Sum(settled, mode));
        Assert.Equal(2, Sum(settled, mode, Tag("pipeline.outcome", "succeeded")));
        Assert.Equal(1, Sum(settled, mode, Tag("pipeline.outcome", "http_error")));
        Assert.Equal(1, Sum(settled, mode, Tag("pipeline.outcome", "failed")));
        Assert.Equal(1, Sum(settled, mode, Tag("pipeline.outcome", "invalid")));
        Assert.Equal(1, Sum(failed, mode, Tag("error.type", "404")));
        Assert.Equal(1, Sum(failed, mode, Tag("error.type", "connection_error")));
        Assert.Equal(1, Sum(abandoned, mode, Tag("pipeline.reason", "invalid")));
        Assert.Equal(4, duration.GetMeasurementSnapshot().Count(m => m.ContainsTags(mode)));
        Assert.Equal(5, wait.GetMeasurementSnapshot().Count(m => m.ContainsTags(mode)));
    }

    [Fact]
    public async Task RunAsync_MixedLines_OutcomeAttributesAreTheSummarysNamesAndCounts()
    {
        using var settled = Collect<long>("pipeline.items.settled");
        using var abandoned = Collect<long>("pipeline.items.abandoned");
        using var services = PipelineServices.Create();
        var ok = _origin.Url("ok?i=1");
        string[] lines = [ok, _origin.Url("ok?i=2"), _origin.Url("status/404"), "http://127.0.0.1:9/refused", "not a url", ok];
        var plan = new RunPlan { Mode = PipelineMode.Concurrent, Concurrency = 2, Sources = [new ListUrlSource("list", lines)], Sink = new RecordingSink() };

        var summary = await services.Runner().RunAsync(plan, CancellationToken.None).Guarded();

        // The metric's pipeline.outcome values are the results file's and the summaries' names, one per line.
        var mode = Tag("pipeline.mode", "concurrent");
        string[] names = ["succeeded", "http_error", "failed", "invalid", "duplicate", "cancelled", "pending"];
        Assert.Equal(names, summary.Outcomes.Select(o => WireNames.Outcome(o.Key)));
        foreach (var (outcome, count) in summary.Outcomes)
        {
            Assert.Equal(count, Sum(settled, mode, Tag("pipeline.outcome", WireNames.Outcome(outcome))));
        }

        Assert.Equal([2, 1, 1, 1, 1, 0, 0], summary.Outcomes.Select(o => o.Value));
        Assert.Equal(lines.Length, Sum(settled, mode));
        Assert.Equal(1, Sum(abandoned, mode, Tag("pipeline.reason", "duplicate")));
    }

    [Fact]
    public async Task RunAsync_WhileFetchesWait_GaugesShowInFlightAndQueueDepth()
    {
        const int Consumers = 2;
        using var inFlight = Collect<long>("pipeline.fetches.in_flight");
        using var depth = Collect<long>("pipeline.channel.depth");
        var fetcher = new GatedFetcher(signalAfterStarted: Consumers);
        var runner = new PipelineRunner(fetcher, TimeProvider.System, NullLogger<PipelineRunner>.Instance);
        var source = new CountingSource(new ListUrlSource("list", [.. Enumerable.Range(1, 5).Select(i => $"http://127.0.0.1:9/{i}")]));
        var plan = new RunPlan { Mode = PipelineMode.Concurrent, Concurrency = Consumers, ChannelCapacity = 10, Sources = [source], Sink = new RecordingSink() };

        var run = runner.RunAsync(plan, CancellationToken.None);
        await Task.WhenAll(fetcher.Started, source.Exhausted).Guarded();
        inFlight.RecordObservableInstruments();
        depth.RecordObservableInstruments();
        fetcher.Open();
        await run.Guarded();
        inFlight.RecordObservableInstruments();
        depth.RecordObservableInstruments();

        var concurrent = Tag("pipeline.mode", "concurrent");
        Assert.Equal([Consumers], inFlight.GetMeasurementSnapshot().Where(m => m.ContainsTags(concurrent)).Select(m => m.Value));
        Assert.Equal([5 - Consumers], depth.GetMeasurementSnapshot().Where(m => m.ContainsTags(concurrent)).Select(m => m.Value));
    }

    private static MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(null, PipelineTelemetry.Name, instrument);

    private static KeyValuePair<string, object?> Tag(string key, object value) => new(key, value);

    private static long Sum(MetricCollector<long> collector, params KeyValuePair<string, object?>[] tags)
        => collector.GetMeasurementSnapshot().Where(m => m.ContainsTags(tags)).Sum(m => m.Value);
}
