using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.DemoOrigin;
using Pipeline.Fetching;
using Pipeline.Processing;
using Pipeline.Running;
using Pipeline.Sinks;
using Pipeline.Sources;
using Pipeline.Telemetry;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running.Contract;

/// <summary>The same promises with a processing stage between the fetch and the sink.</summary>
public abstract partial class RunnerContractTests
{
    private const int ProcessWorkers = 2;

    [Fact]
    public async Task RunAsync_WithProcessing_ProcessesEverySucceededResultAndAccountsForEveryLine()
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();
        string[] urls = [_origin.Url("page/300?i=1"), _origin.Url("ok"), _origin.Url("status/404"), "not a url", _origin.Url("page/300?i=2")];

        var summary = await services.Runner().RunAsync(Plan(sink, urls, Steps(services, "title,links,sha256")), CancellationToken.None).Guarded();

        Assert.Equal((5, 3, 1, 1), (summary.Total, summary.Succeeded, summary.HttpErrors, summary.Invalid));
        Assert.Equal((3L, 0L), (summary.Processed, summary.ProcessErrors));
        Assert.Equal(Mode == PipelineMode.Sequential ? 1 : ProcessWorkers, summary.ProcessWorkers);
        Assert.Equal([1L, 2, 3, 4, 5], sink.Results.Select(r => r.Line).Order());
        var hash = Convert.ToHexStringLower(SHA256.HashData(DemoPage.Get(300)));
        foreach (var page in sink.Results.Where(r => r.Line is 1 or 5))
        {
            Assert.Equal(DemoPage.Title(300), page.Process!["title"]);
            Assert.Equal(300L, page.Process["links"]);
            Assert.Equal(hash, page.Process["sha256"]);
            Assert.False(page.Process.Truncated);
        }

        var plain = sink.Results.Single(r => r.Line == 2).Process!;
        Assert.Equal((null, 0L), (plain["title"], plain["links"]));
        Assert.All(sink.Results.Where(r => r.Line is 3 or 4), r => Assert.Null(r.Process));
    }

    [Fact]
    public async Task RunAsync_BodyOverMaxBodyBytes_IsProcessedFromWhatWasKeptAndSaysSo()
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();
        var steps = Steps(services, "title,links");
        var plan = new ProcessPlan { Steps = steps.Steps, Parallelism = steps.Parallelism, MaxBodyBytes = 16 * 1024 };

        await services.Runner().RunAsync(Plan(sink, [_origin.Url("page/2000")], plan), CancellationToken.None).Guarded();

        var result = Assert.Single(sink.Results);
        Assert.Equal(DemoPage.Get(2000).Length, result.Bytes);
        Assert.True(result.Process!.Truncated);
        Assert.Equal(DemoPage.Title(2000), result.Process["title"]);
        Assert.InRange((long)result.Process["links"]!, 1, 1999);
    }

    [Fact]
    public async Task RunAsync_ProcessorThrows_MarksThatResultsProcessingErrorAndKeepsEveryResult()
    {
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();
        var plan = new ProcessPlan { Steps = [new TitleProcessor(), new DelegateProcessor("fails", (context, _) => context.Result.Line == 2 ? throw new InvalidOperationException("bad page") : ValueTask.CompletedTask)], Parallelism = ProcessWorkers };

        var summary = await services.Runner().RunAsync(Plan(sink, _origin.Urls("page/10", 3), plan), CancellationToken.None).Guarded();

        Assert.Equal((3, 3L, 1L), (summary.Succeeded, summary.Processed, summary.ProcessErrors));
        var failed = sink.Results.Single(r => r.Line == 2);
        Assert.Equal(FetchOutcome.Succeeded, failed.Outcome);
        Assert.Equal("fails: InvalidOperationException: bad page", failed.Process!.Error);
        Assert.Equal(DemoPage.Title(10), failed.Process["title"]);
        Assert.All(sink.Results.Where(r => r.Line != 2), r => Assert.Null(r.Process!.Error));
    }

    [Fact]
    public async Task RunAsync_CancelledWhileProcessing_EveryLineReadIsOneResult()
    {
        const int Total = 12;
        using var services = PipelineServices.Create();
        var sink = new RecordingSink();
        var workers = Mode == PipelineMode.Sequential ? 1 : ProcessWorkers;
        var held = new Tally();
        var plan = new ProcessPlan
        {
            Steps = [new DelegateProcessor("hold", async (_, token) =>
            {
                held.Increment();
                await Task.Delay(Timeout.Infinite, token);
            })],
            Parallelism = workers,
            ChannelCapacity = 2,
        };
        var source = new CountingSource(new ListUrlSource("list", _origin.Urls("ok", Total)));
        using var stop = new CancellationTokenSource();

        var run = services.Runner().RunAsync(Plan(sink, [source], plan, channelCapacity: Total), stop.Token);
        await held.WhenReached(workers).Guarded();
        await stop.CancelAsync();
        var summary = await run.Guarded();

        Assert.True(summary.Interrupted);
        Assert.Equal(Enumerable.Range(1, source.Pulled).Select(i => (long)i), sink.Results.Select(r => r.Line).Order());
        Assert.Equal(source.Pulled, summary.Total);
        var stopped = sink.Results.Where(r => r.Process is not null).ToList();
        Assert.True(stopped.Count >= workers);
        Assert.All(stopped, r => Assert.Contains("run stopped", r.Process!.Error, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_WithProcessingSinkFails_TheRunFailsWithTheSinksErrorInsteadOfHanging()
    {
        var runner = new PipelineRunner(new GatedFetcher(signalAfterStarted: 1), TimeProvider.System, NullLogger<PipelineRunner>.Instance);
        var source = new ListUrlSource("list", ["not a url", .. Enumerable.Range(1, 50).Select(i => $"http://127.0.0.1:9/{i}")]);
        var plan = new ProcessPlan { Steps = [new TitleProcessor()], Parallelism = ProcessWorkers, ChannelCapacity = 1 };

        var error = await Assert.ThrowsAsync<IOException>(() => runner.RunAsync(Plan(new FailingSink(), [source], plan, channelCapacity: 2), CancellationToken.None).Guarded());

        Assert.Equal("disk full", error.Message);
    }

    [Fact]
    public async Task RunAsync_WithProcessing_EachProcessSpanSitsBesideItsFetchSpanAndLinksToIt()
    {
        using var capture = new SpanCapture();
        using var services = PipelineServices.Create();
        var urls = _origin.Urls("page/20", 4);
        ActivityTraceId trace;
        using (var root = SpanCapture.StartRoot())
        {
            await services.Runner().RunAsync(Plan(new RecordingSink(), urls, Steps(services, "title")), CancellationToken.None).Guarded();
            trace = root.TraceId;
        }

        var fetches = capture.Of(trace, PipelineTelemetry.FetchSpanName);
        var processes = capture.Of(trace, PipelineTelemetry.ProcessSpanName);
        Assert.Equal(4, fetches.Count);
        Assert.Equal(4, processes.Count);
        foreach (var process in processes)
        {
            var fetch = fetches.Single(f => Equals(f.GetTagItem(SpanAttributes.Line), process.GetTagItem(SpanAttributes.Line)));
            Assert.Equal(fetch.ParentSpanId, process.ParentSpanId);
            Assert.Equal(fetch.SpanId, Assert.Single(process.Links).Context.SpanId);
            Assert.Equal("title", process.GetTagItem(SpanAttributes.ProcessSteps));
        }
    }

    private ProcessPlan Steps(ServiceProvider services, string steps)
        => ProcessPlan.From(new ProcessOptions { Steps = steps, Parallelism = ProcessWorkers }, services.GetServices<IResultProcessor>(), Mode)!;

    private RunPlan Plan(IResultSink sink, IReadOnlyList<string> urls, ProcessPlan processing)
        => Plan(sink, [new ListUrlSource("list", urls)], processing);

    private RunPlan Plan(IResultSink sink, IUrlSource[] sources, ProcessPlan processing, int channelCapacity = 4)
        => new() { Mode = Mode, Concurrency = Consumers, ChannelCapacity = channelCapacity, ResultChannelCapacity = 4, Sources = sources, Sink = sink, Processing = processing };

    private sealed class DelegateProcessor(string name, Func<ProcessContext, CancellationToken, ValueTask> process) : IResultProcessor
    {
        public string Name => name;

        public bool NeedsBody => false;

        public ValueTask ProcessAsync(ProcessContext context, CancellationToken cancellationToken) => process(context, cancellationToken);
    }
}
