using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging.Abstractions;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sinks;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running;

public sealed class SinkStageTests
{
    private readonly ArmedTimeProvider _time = new();
    private readonly SignallingSink _sink = new();
    private readonly Channel<FetchResult> _results = Channel.CreateUnbounded<FetchResult>();

    [Fact]
    public async Task RunAsync_ResultsKeepComing_FlushedWhenTheIntervalPassesAndNotBefore()
    {
        var running = Stage().RunAsync(_results.Reader, _ => Task.CompletedTask);

        _results.Writer.TryWrite(Result(1));
        await _time.WaitArmedAsync();
        _time.Fake.Advance(SinkStage.FlushInterval - TimeSpan.FromMilliseconds(1));
        _results.Writer.TryWrite(Result(2));
        await _time.WaitArmedAsync();

        // Both written, neither flushed: the interval since the stage started has not passed.
        Assert.Equal(2, _sink.Written);
        Assert.Equal(0, _sink.Flushes);

        _time.Fake.Advance(TimeSpan.FromMilliseconds(1));
        await _sink.WaitFlushedAsync();
        Assert.Equal(1, _sink.Flushes);
        Assert.Equal(2, _sink.WrittenAtFirstFlush);

        _results.Writer.TryComplete();
        await running.Guarded();
    }

    [Fact]
    public async Task RunAsync_ChannelCompleted_FlushesWhatIsLeftWithoutWaitingForTheInterval()
    {
        var running = Stage().RunAsync(_results.Reader, _ => Task.CompletedTask);

        _results.Writer.TryWrite(Result(1));
        await _time.WaitArmedAsync();
        _results.Writer.TryComplete();
        await running.Guarded();

        Assert.Equal(1, _sink.Flushes);
        Assert.Equal(1, _sink.WrittenAtFirstFlush);
    }

    [Fact]
    public async Task RunAsync_ResultItsSourceWaitsFor_FlushedAtOnceThenAcknowledged()
    {
        var acknowledgement = new RecordingAcknowledgement(_sink);
        var running = Stage().RunAsync(_results.Reader, _ => Task.CompletedTask);

        // The clock never moves: a broker hands out no more work until it hears back.
        _results.Writer.TryWrite(Result(1, acknowledgement));
        await acknowledgement.Completed.Guarded();

        Assert.Equal(1, acknowledgement.FlushesWhenCompleted);
        _results.Writer.TryComplete();
        await running.Guarded();
    }

    [Fact]
    public async Task RunAsync_SinkThrows_ReportsTheFailureAndRethrowsIt()
    {
        _sink.Failure = new IOException("disk full");
        Exception? reported = null;
        var running = Stage().RunAsync(_results.Reader, ex =>
        {
            reported = ex;
            return Task.CompletedTask;
        });

        _results.Writer.TryWrite(Result(1));

        var thrown = await Assert.ThrowsAsync<IOException>(() => running.Guarded());
        Assert.Same(_sink.Failure, thrown);
        Assert.Same(thrown, reported);
    }

    private SinkStage Stage() => new(_sink, new RunStatistics(), new RunCounters(), _time, NullLogger.Instance);

    private static FetchResult Result(long line, IWorkDelivery? delivery = null)
        => new() { Url = $"http://127.0.0.1/{line}", Source = "list", Line = line, Outcome = FetchOutcome.Succeeded, StatusCode = 200, Attempts = 1, Delivery = delivery };

    private sealed class SignallingSink : IResultSink
    {
        private readonly SemaphoreSlim _flushed = new(0);

        public Exception? Failure { get; set; }

        public int Written { get; private set; }

        public int Flushes { get; private set; }

        public int WrittenAtFirstFlush { get; private set; } = -1;

        public ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken)
        {
            if (Failure is not null)
            {
                throw Failure;
            }

            Written++;
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (Flushes++ == 0)
            {
                WrittenAtFirstFlush = Written;
            }

            _flushed.Release();
            return ValueTask.CompletedTask;
        }

        public Task WaitFlushedAsync() => _flushed.WaitAsync().Guarded();
    }

    private sealed class RecordingAcknowledgement(SignallingSink sink) : IWorkDelivery
    {
        public ActivityContext? ParentContext => null;

        public void WriteResultFields(Utf8JsonWriter writer)
        {
        }

        private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completed => _completed.Task;

        public int FlushesWhenCompleted { get; private set; } = -1;

        public ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            FlushesWhenCompleted = sink.Flushes;
            _completed.TrySetResult();
            return ValueTask.CompletedTask;
        }

        public ValueTask ReleaseAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("a written result is completed, not released");
    }
}
