using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running;

public sealed class ProducerStageTests
{
    private readonly RunCounters _counters = new();

    [Fact]
    public async Task RunAsync_TwoSources_WritesEveryItemThenCompletesTheWriter()
    {
        var work = Channel.CreateUnbounded<WorkItem>();
        var stage = Stage([new ListUrlSource("a", ["http://127.0.0.1/1", "http://127.0.0.1/2"]), new ListUrlSource("b", ["http://127.0.0.1/3"])], DuplicatePolicy.Fetch);

        await stage.RunAsync(work.Writer, CancellationToken.None).Guarded();

        var items = await work.Reader.ReadAllAsync().ToListAsync();
        Assert.Equal(["a:1", "a:2", "b:1"], items.Select(i => $"{i.Source}:{i.Line}").Order());
        Assert.Equal(3, _counters.Enqueued);
        Assert.Equal([new SourcePosition(2, 2, true), new SourcePosition(1, 1, true)], stage.Positions);
        Assert.Empty(stage.Held);
    }

    [Fact]
    public async Task RunAsync_RepeatedUrl_MarkedAsADuplicateOfItsFirstLine()
    {
        var work = Channel.CreateUnbounded<WorkItem>();
        var stage = Stage([new ListUrlSource("a", ["http://127.0.0.1/x", "http://127.0.0.1/y", "http://127.0.0.1/x"])], DuplicatePolicy.Skip);

        await stage.RunAsync(work.Writer, CancellationToken.None).Guarded();

        var items = await work.Reader.ReadAllAsync().ToListAsync();
        Assert.Equal([null, null, "a:1"], items.Select(i => i.DuplicateOf));
    }

    [Fact]
    public async Task RunAsync_SourceThrows_EndsAsOneInvalidItemNamingWhereItStopped()
    {
        var work = Channel.CreateUnbounded<WorkItem>();
        var stage = Stage([new BrokenSource(), new ListUrlSource("b", ["http://127.0.0.1/1"])], DuplicatePolicy.Fetch);

        await stage.RunAsync(work.Writer, CancellationToken.None).Guarded();

        var items = await work.Reader.ReadAllAsync().ToListAsync();
        var failed = Assert.Single(items, i => i.Source == "broken" && !i.IsValid);
        Assert.Equal(2, failed.Line);
        Assert.Equal("source could not be read past line 1: gone", failed.Error);
        Assert.Contains(items, i => i.Source == "b");
        Assert.False(stage.Positions[0].Exhausted);
    }

    [Fact]
    public async Task RunAsync_StoppedWhileTheChannelIsFull_HoldsTheItemInHandAndCompletesTheWriter()
    {
        var work = Channel.CreateBounded<WorkItem>(1);
        using var stop = new CancellationTokenSource();
        var blocked = new TaskCompletionSource<WorkItem>(TaskCreationOptions.RunContinuationsAsynchronously);
        var observer = new CallbackObserver { ProducerBlocked = item => blocked.TrySetResult(item) };
        var stage = Stage([new ListUrlSource("a", ["http://127.0.0.1/1", "http://127.0.0.1/2", "http://127.0.0.1/3"])], DuplicatePolicy.Fetch, observer);

        var running = stage.RunAsync(work.Writer, stop.Token);
        var waiting = await blocked.Task.Guarded();
        await stop.CancelAsync();
        await running.Guarded();

        Assert.Same(waiting, Assert.Single(stage.Held));
        Assert.Equal(1, _counters.ProducerWaits);
        Assert.Equal(new SourcePosition(2, 2, false), stage.Positions[0]);
        Assert.True(work.Reader.TryRead(out var first));
        Assert.Equal(1, first.Line);

        // Room again, and still refused: the writer is completed.
        Assert.False(work.Writer.TryWrite(waiting));
    }

    private ProducerStage Stage(IReadOnlyList<IUrlSource> sources, DuplicatePolicy duplicates, IRunObserver? observer = null)
        => new(sources, duplicates, PipelineMode.Concurrent, _counters, observer, TimeProvider.System, NullLogger.Instance);

    private sealed class BrokenSource : IUrlSource
    {
        public string Name => "broken";

        public long? KnownCount => null;

        public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await Task.Yield();
            yield return UrlLineParser.Parse(Name, 1, "http://127.0.0.1/ok")!;
            throw new IOException("gone");
        }
    }
}
