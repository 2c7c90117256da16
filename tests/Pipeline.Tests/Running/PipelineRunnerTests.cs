using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running;

public sealed class PipelineRunnerTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-tests-").FullName;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData(PipelineMode.Sequential)]
    [InlineData(PipelineMode.Concurrent)]
    public async Task RunAsync_FileWithGoodAndBadLines_AccountsForEveryLineExactlyOnce(PipelineMode mode)
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

        var summary = await services.Runner().RunAsync(Plan(mode, sink, new TextFileUrlSource(path)), CancellationToken.None).Guarded();

        var results = sink.Results;
        Assert.Equal([2L, 5, 6, 7, 8, 9, 10], results.Select(r => r.Line).Order());
        Assert.All(results, r => Assert.Equal(path, r.Source));
        Assert.Equal(7, summary.Total);
        Assert.Equal(3, summary.Succeeded);
        Assert.Equal(1, summary.HttpErrors);
        Assert.Equal(3, summary.Invalid);
        Assert.Equal(404, results.Single(r => r.Line == 6).StatusCode);
        Assert.Contains("unsupported scheme 'ftp'", results.Single(r => r.Line == 5).Error, StringComparison.Ordinal);
        Assert.Contains("unsupported scheme 'javascript'", results.Single(r => r.Line == 9).Error, StringComparison.Ordinal);
        Assert.Contains("relative URL", results.Single(r => r.Line == 7).Error, StringComparison.Ordinal);
        Assert.All(results.Where(r => r.Outcome == FetchOutcome.Invalid), r => Assert.Equal(0, r.Attempts));
        Assert.Equal(_origin.Url("ok?i=3"), results.Single(r => r.Line == 10).Url);
    }

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
    public async Task RunAsync_FullWorkChannel_MakesTheProducerWait()
    {
        const int Capacity = 5;
        const int Consumers = 2;
        const int Total = 100;
        var fetcher = new GatedFetcher(signalAfterStarted: Consumers);
        var runner = new PipelineRunner(fetcher, TimeProvider.System, NullLogger<PipelineRunner>.Instance);
        var source = new CountingSource(new ListUrlSource("list", [.. Enumerable.Range(1, Total).Select(i => $"http://127.0.0.1:9/{i}")]));
        var parked = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = new CallbackObserver
        {
            // Having read capacity + consumers + 1 items means both consumers hold one (and wait
            // at the gate), the channel is full, and the producer holds the one it cannot write.
            ProducerBlocked = item =>
            {
                if (source.Pulled == Capacity + Consumers + 1)
                {
                    parked.TrySetResult(source.Pulled);
                }
            },
        };
        var sink = new RecordingSink();
        var plan = new RunPlan { Mode = PipelineMode.Concurrent, Concurrency = Consumers, ChannelCapacity = Capacity, Sources = [source], Sink = sink, Observer = observer };

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
    public async Task RunAsync_Cancelled_StopsPromptlyAndAccountsForEveryItemRead()
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();
        var source = new CountingSource(new ListUrlSource("list", _origin.Urls("hang", 10)));
        using var stop = new CancellationTokenSource();
        var plan = new RunPlan { Mode = PipelineMode.Concurrent, Concurrency = 3, Sources = [source], Sink = sink };

        var run = services.Runner().RunAsync(plan, stop.Token);
        await Task.WhenAll(_origin.HangsStarted.WhenReached(3), source.Exhausted).Guarded();
        await stop.CancelAsync();
        var summary = await run.Guarded();
        await _origin.HangsAborted.WhenReached(3).Guarded();

        Assert.True(summary.Interrupted);
        Assert.Equal(3, summary.Cancelled);
        Assert.Equal(7, summary.Pending);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), sink.Results.Select(r => r.Line).Order());
        Assert.All(sink.Results.Where(r => r.Outcome == FetchOutcome.Pending), r => Assert.Equal(0, r.Attempts));
    }

    [Fact]
    public async Task RunAsync_ServerErrorsAndRefusedConnections_BecomeResultsAndTheRunGoesOn()
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();

        // Port 9 (discard) on loopback has no listener here: the connection is refused at once.
        string[] urls = [_origin.Url("status/503"), "http://127.0.0.1:9/closed", _origin.Url("ok")];

        var summary = await services.Runner().RunAsync(Plan(PipelineMode.Concurrent, sink, new ListUrlSource("list", urls)), CancellationToken.None).Guarded();

        Assert.Equal(1, summary.Succeeded);
        Assert.Equal(1, summary.HttpErrors);
        Assert.Equal(1, summary.Failed);
        var refused = sink.Results.Single(r => r.Line == 2);
        Assert.Equal(FetchOutcome.Failed, refused.Outcome);
        Assert.Null(refused.StatusCode);
        Assert.Contains("ConnectionError", refused.Error, StringComparison.Ordinal);
        Assert.Equal("HTTP 503 Service Unavailable", sink.Results.Single(r => r.Line == 1).Error);
        Assert.Equal(new Dictionary<int, long> { [200] = 1, [503] = 1 }, summary.StatusCounts);
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

    [Fact]
    public async Task RunAsync_FetcherThrows_RecordsThatUrlAsFailedAndFetchesTheRest()
    {
        var runner = new PipelineRunner(new ThrowingFetcher(), TimeProvider.System, NullLogger<PipelineRunner>.Instance);
        var sink = new RecordingSink();

        var summary = await runner.RunAsync(Plan(PipelineMode.Concurrent, sink, new ListUrlSource("list", ["http://127.0.0.1:9/boom", "http://127.0.0.1:9/fine"])), CancellationToken.None).Guarded();

        Assert.Equal(1, summary.Failed);
        Assert.Equal(1, summary.Succeeded);
        Assert.Equal("InvalidOperationException: boom", sink.Results.Single(r => r.Line == 1).Error);
    }

    [Fact]
    public async Task RunAsync_SeveralSources_ReadsThemAllIntoOneChannel()
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();
        var path = Path.Combine(_directory, "more.txt");
        await File.WriteAllLinesAsync(path, _origin.Urls("ok", 5));
        IUrlSource[] sources = [new ListUrlSource("settings", _origin.Urls("status/200", 3)), new TextFileUrlSource(path)];

        var summary = await services.Runner().RunAsync(Plan(PipelineMode.Concurrent, sink, sources), CancellationToken.None).Guarded();

        Assert.Equal(8, summary.Succeeded);
        Assert.Equal(3, sink.Results.Count(r => r.Source == "settings"));
        Assert.Equal(5, sink.Results.Count(r => r.Source == path));
    }

    private static RunPlan Plan(PipelineMode mode, RecordingSink sink, IUrlSource source, int concurrency = 4)
        => Plan(mode, sink, [source], concurrency);

    private static RunPlan Plan(PipelineMode mode, RecordingSink sink, IUrlSource[] sources, int concurrency = 4)
        => new() { Mode = mode, Concurrency = concurrency, ChannelCapacity = 4, ResultChannelCapacity = 4, Sources = sources, Sink = sink };

    private sealed class ThrowingFetcher : IUrlFetcher
    {
        public ValueTask<FetchResult> FetchAsync(WorkItem item, CancellationToken cancellationToken)
            => item.Text.EndsWith("boom", StringComparison.Ordinal)
                ? throw new InvalidOperationException("boom")
                : ValueTask.FromResult(new FetchResult { Url = item.Text, Source = item.Source, Line = item.Line, Outcome = FetchOutcome.Succeeded, Attempts = 1 });
    }
}
