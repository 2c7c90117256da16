using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sinks;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running.Contract;

/// <summary>
/// What the runner promises in every mode, written once and run for each (as dotnet/runtime runs one
/// channel suite over each channel kind): every line read is exactly one result, a stop accounts for
/// everything read, one URL's failure is that URL's result, several sources feed one channel, and a
/// full channel makes the producer wait.
/// </summary>
public abstract partial class RunnerContractTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-contract-").FullName;

    private TestOrigin _origin = null!;

    /// <summary>Gets the mode under test.</summary>
    protected abstract PipelineMode Mode { get; }

    /// <summary>Gets the number of consumers the mode runs.</summary>
    protected abstract int Consumers { get; }

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_FileWithGoodAndBadLines_AccountsForEveryLineExactlyOnce()
    {
        var path = Path.Combine(_directory, "urls.txt");
        string[] lines =
        [
            "# a comment",
            _origin.Url("ok?i=1"),
            "",
            "   ",
            "ftp://example.invalid/file",
            _origin.Url("status/404"),
            "not/a/url",
            _origin.Url("delay/5?i=2"),
            "javascript:alert(1)",
            "  " + _origin.Url("ok?i=3") + "  ",
        ];
        await File.WriteAllLinesAsync(path, lines);
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();

        var summary = await services.Runner().RunAsync(Plan(sink, new TextFileUrlSource(path)), CancellationToken.None).Guarded();

        var results = sink.Results;
        Assert.Equal([2L, 5, 6, 7, 8, 9, 10], results.Select(r => r.Line).Order());
        Assert.All(results, r => Assert.Equal((path, Mode), (r.Source, r.Mode)));
        Assert.Equal((7, 3, 1, 3), (summary.Total, summary.Succeeded, summary.HttpErrors, summary.Invalid));
        Assert.Equal(7, summary.Enqueued);
        Assert.Equal(404, results.Single(r => r.Line == 6).StatusCode);
        Assert.Contains("unsupported scheme 'ftp'", results.Single(r => r.Line == 5).Error, StringComparison.Ordinal);
        Assert.Contains("relative URL", results.Single(r => r.Line == 7).Error, StringComparison.Ordinal);
        Assert.All(results.Where(r => r.Outcome == FetchOutcome.Invalid), r => Assert.Equal(0, r.Attempts));
        Assert.Equal(_origin.Url("ok?i=3"), results.Single(r => r.Line == 10).Url);
        Assert.All(results, r => Assert.InRange(r.ConsumerId, 0, Consumers - 1));
    }

    [Fact]
    public async Task RunAsync_Cancelled_StopsAndAccountsForEveryItemRead()
    {
        const int Total = 10;
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();
        var source = new CountingSource(new ListUrlSource("list", _origin.Urls("hang", Total)));
        using var stop = new CancellationTokenSource();

        // Room for every item: the source is read to the end while the consumers hang.
        var run = services.Runner().RunAsync(Plan(sink, source, channelCapacity: Total), stop.Token);
        await Task.WhenAll(_origin.HangsStarted.WhenReached(Consumers), source.Exhausted).Guarded();
        await stop.CancelAsync();
        var summary = await run.Guarded();
        await _origin.HangsAborted.WhenReached(Consumers).Guarded();

        Assert.True(summary.Interrupted);
        Assert.Equal((Consumers, Total - Consumers), (summary.Cancelled, summary.Pending));
        Assert.Equal(Enumerable.Range(1, Total).Select(i => (long)i), sink.Results.Select(r => r.Line).Order());
        Assert.All(sink.Results.Where(r => r.Outcome == FetchOutcome.Pending), r => Assert.Equal(0, r.Attempts));
        Assert.Equal(Total, summary.PendingItems.Count);
        Assert.Equal(new SourcePosition(Total, Total, true), Assert.Single(summary.SourcePositions));
    }

    [Fact]
    public async Task RunAsync_FetcherThrows_RecordsThatUrlAsFailedAndFetchesTheRest()
    {
        var runner = new PipelineRunner(new ThrowingFetcher(), TimeProvider.System, NullLogger<PipelineRunner>.Instance);
        var sink = new RecordingSink();
        string[] urls = ["http://127.0.0.1:9/boom", "http://127.0.0.1:9/fine", "http://127.0.0.1:9/boom?again", "http://127.0.0.1:9/fine?again"];

        var summary = await runner.RunAsync(Plan(sink, new ListUrlSource("list", urls)), CancellationToken.None).Guarded();

        Assert.Equal((2, 2), (summary.Failed, summary.Succeeded));
        Assert.Equal("InvalidOperationException: boom", sink.Results.Single(r => r.Line == 1).Error);
        Assert.Equal(FetchOutcome.Failed, sink.Results.Single(r => r.Line == 3).Outcome);
    }

    [Fact]
    public async Task RunAsync_SeveralSources_ReadsThemAllIntoOneChannel()
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();
        var path = Path.Combine(_directory, "more.txt");
        await File.WriteAllLinesAsync(path, _origin.Urls("ok", 5));
        IUrlSource[] sources = [new ListUrlSource("settings", _origin.Urls("status/200", 3)), new TextFileUrlSource(path), new ListUrlSource("more", ["not a url"])];

        var summary = await services.Runner().RunAsync(Plan(sink, sources), CancellationToken.None).Guarded();

        Assert.Equal((8, 1), (summary.Succeeded, summary.Invalid));
        Assert.Equal(3, sink.Results.Count(r => r.Source == "settings"));
        Assert.Equal(5, sink.Results.Count(r => r.Source == path));
        Assert.Equal([new SourcePosition(3, 3, true), new SourcePosition(5, 5, true), new SourcePosition(1, 1, true)], summary.SourcePositions);
    }

    [Fact]
    public async Task RunAsync_ServerErrorsAndRefusedConnections_BecomeResultsAndTheRunGoesOn()
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();

        // Port 9 (discard) on loopback has no listener here: the connection is refused at once.
        string[] urls = [_origin.Url("status/503"), "http://127.0.0.1:9/closed", _origin.Url("ok"), _origin.Url("status/500")];

        var summary = await services.Runner().RunAsync(Plan(sink, new ListUrlSource("list", urls)), CancellationToken.None).Guarded();

        Assert.Equal((1, 2, 1), (summary.Succeeded, summary.HttpErrors, summary.Failed));
        var refused = sink.Results.Single(r => r.Line == 2);
        Assert.Equal(FetchOutcome.Failed, refused.Outcome);
        Assert.Null(refused.StatusCode);
        Assert.Contains("ConnectionError", refused.Error, StringComparison.Ordinal);
        Assert.Equal("HTTP 503 Service Unavailable", sink.Results.Single(r => r.Line == 1).Error);
        Assert.Equal(new Dictionary<int, long> { [200] = 1, [500] = 1, [503] = 1 }, summary.StatusCounts);
    }

    [Fact]
    public async Task RunAsync_FullWorkChannel_MakesTheProducerWait()
    {
        const int Capacity = 5;
        const int Total = 60;
        var fetcher = new GatedFetcher(signalAfterStarted: Consumers);
        var runner = new PipelineRunner(fetcher, TimeProvider.System, NullLogger<PipelineRunner>.Instance);
        var source = new CountingSource(new ListUrlSource("list", [.. Enumerable.Range(1, Total).Select(i => $"http://127.0.0.1:9/{i}")]));
        var parked = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = new CallbackObserver
        {
            // Having read capacity + consumers + 1 items means every consumer holds one (and waits
            // at the gate), the channel is full, and the producer holds the one it cannot write.
            ProducerBlocked = _ =>
            {
                if (source.Pulled == Capacity + Consumers + 1)
                {
                    parked.TrySetResult(source.Pulled);
                }
            },
        };
        var sink = new RecordingSink();
        var plan = new RunPlan { Mode = Mode, Concurrency = Consumers, ChannelCapacity = Capacity, Sources = [source], Sink = sink, Observer = observer };

        var run = runner.RunAsync(plan, CancellationToken.None);
        await fetcher.Started.Guarded();
        var pulledWhenParked = await parked.Task.Guarded();

        Assert.Equal(Capacity + Consumers + 1, pulledWhenParked);
        Assert.Equal(Capacity + Consumers + 1, source.Pulled);
        Assert.False(run.IsCompleted);
        fetcher.Open();
        var summary = await run.Guarded();
        Assert.Equal(Total, summary.Succeeded);
        Assert.True(summary.ProducerWaits >= 1);
    }

    [Fact]
    public async Task RunAsync_SinkFails_TheRunFailsWithTheSinksErrorInsteadOfHanging()
    {
        var runner = new PipelineRunner(new GatedFetcher(signalAfterStarted: 1), TimeProvider.System, NullLogger<PipelineRunner>.Instance);
        var sink = new FailingSink();
        var source = new ListUrlSource("list", ["not a url", .. Enumerable.Range(1, 50).Select(i => $"http://127.0.0.1:9/{i}")]);

        // The first result (the invalid line) breaks the sink while the consumers wait at a gate
        // that never opens: only the sink's failure can end the run.
        var error = await Assert.ThrowsAsync<IOException>(() => runner.RunAsync(Plan(sink, [source], channelCapacity: 2), CancellationToken.None).Guarded());

        Assert.Equal("disk full", error.Message);
    }

    private RunPlan Plan(IResultSink sink, IUrlSource source, int channelCapacity = 4) => Plan(sink, [source], channelCapacity);

    private RunPlan Plan(IResultSink sink, IUrlSource[] sources, int channelCapacity = 4)
        => new() { Mode = Mode, Concurrency = Consumers, ChannelCapacity = channelCapacity, ResultChannelCapacity = 4, Sources = sources, Sink = sink };

    private sealed class ThrowingFetcher : IUrlFetcher
    {
        public ValueTask<FetchResult> FetchAsync(WorkItem item, CancellationToken cancellationToken)
            => item.Url!.AbsolutePath.EndsWith("boom", StringComparison.Ordinal)
                ? throw new InvalidOperationException("boom")
                : ValueTask.FromResult(new FetchResult { Url = item.Text, Source = item.Source, Line = item.Line, Outcome = FetchOutcome.Succeeded, Attempts = 1 });
    }

    private sealed class FailingSink : IResultSink
    {
        public ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken) => throw new IOException("disk full");

        public ValueTask FlushAsync(CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }
}
