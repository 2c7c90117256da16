using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running;

public sealed class ConsumerStageTests : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _aborting = new();
    private readonly Channel<WorkItem> _work = Channel.CreateUnbounded<WorkItem>();
    private readonly Channel<FetchResult> _results = Channel.CreateUnbounded<FetchResult>();

    public void Dispose()
    {
        _stopping.Dispose();
        _aborting.Dispose();
    }

    [Fact]
    public async Task RunAsync_InvalidAndRepeatedItems_SettledWithoutAFetch()
    {
        var run = Run(PipelineMode.Sequential);
        _work.Writer.TryWrite(UrlLineParser.Parse("list", 1, "not a url")!);
        _work.Writer.TryWrite(UrlLineParser.Parse("list", 2, "http://127.0.0.1/x")! with { DuplicateOf = "list:1" });
        _work.Writer.TryComplete();

        await new ConsumerStage(run, new ThrowingFetcher(), TimeProvider.System, NullLogger.Instance).RunAsync(_work.Reader, _results.Writer).Guarded();

        var results = Drain();
        Assert.Equal([FetchOutcome.Invalid, FetchOutcome.Duplicate], results.Select(r => r.Outcome));
        Assert.Equal("duplicate of list:1: fetched once", results[1].Error);
        Assert.All(results, r => Assert.Equal((0, PipelineMode.Sequential, 0), (r.Attempts, r.Mode, r.ConsumerId)));
        Assert.Equal(0, run.Counters.PeakInFlight);
    }

    [Fact]
    public async Task RunAsync_FetcherThrows_ThatUrlFailsAndTheLoopGoesOn()
    {
        var run = Run(PipelineMode.Sequential);
        _work.Writer.TryWrite(UrlLineParser.Parse("list", 1, "http://127.0.0.1/1")!);
        _work.Writer.TryWrite(UrlLineParser.Parse("list", 2, "http://127.0.0.1/2")!);
        _work.Writer.TryComplete();

        await new ConsumerStage(run, new ThrowingFetcher(), TimeProvider.System, NullLogger.Instance).RunAsync(_work.Reader, _results.Writer).Guarded();

        var results = Drain();
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal((FetchOutcome.Failed, "InvalidOperationException: boom", 1), (r.Outcome, r.Error, r.Attempts)));
    }

    [Fact]
    public async Task RunAsync_ThreeConsumers_FetchAtOnceAndEachResultNamesItsConsumer()
    {
        var run = Run(PipelineMode.Concurrent, concurrency: 3);
        var fetcher = new GatedFetcher(signalAfterStarted: 3);
        for (var line = 1; line <= 3; line++)
        {
            _work.Writer.TryWrite(UrlLineParser.Parse("list", line, $"http://127.0.0.1/{line}")!);
        }

        _work.Writer.TryComplete();
        var running = new ConsumerStage(run, fetcher, TimeProvider.System, NullLogger.Instance).RunAsync(_work.Reader, _results.Writer);
        await fetcher.Started.Guarded();
        Assert.Equal(3, run.Counters.InFlight);
        fetcher.Open();
        await running.Guarded();

        var results = Drain();
        Assert.Equal([0, 1, 2], results.Select(r => r.ConsumerId).Order());
        Assert.All(results, r => Assert.Equal(PipelineMode.Concurrent, r.Mode));
    }

    [Fact]
    public async Task RunAsync_AbortedInFlight_CancelledResultAndTheItemKeptAsUnsettled()
    {
        var run = Run(PipelineMode.Sequential);
        var fetcher = new GatedFetcher(signalAfterStarted: 1);
        var item = UrlLineParser.Parse("list", 1, "http://127.0.0.1/1")!;
        _work.Writer.TryWrite(item);
        var running = new ConsumerStage(run, fetcher, TimeProvider.System, NullLogger.Instance).RunAsync(_work.Reader, _results.Writer);
        await fetcher.Started.Guarded();

        await _stopping.CancelAsync();
        await _aborting.CancelAsync();
        await running.Guarded();

        var result = Assert.Single(Drain());
        Assert.Equal((FetchOutcome.Cancelled, 1), (result.Outcome, result.Attempts));
        Assert.Same(item, Assert.Single(run.Unsettled));
    }

    private RunState Run(PipelineMode mode, int concurrency = 1)
        => new(new RunPlan { Mode = mode, Concurrency = concurrency, Sources = [], Sink = new RecordingSink() }, new RunCounters(), _stopping, _aborting);

    private List<FetchResult> Drain()
    {
        var results = new List<FetchResult>();
        while (_results.Reader.TryRead(out var result))
        {
            results.Add(result);
        }

        return results;
    }

    private sealed class ThrowingFetcher : IUrlFetcher
    {
        public ValueTask<FetchResult> FetchAsync(WorkItem item, CancellationToken cancellationToken) => throw new InvalidOperationException("boom");
    }
}
