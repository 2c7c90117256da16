using System.Threading.Channels;
using Pipeline.Worker.Hosting.Service;

namespace Pipeline.Worker.Tests.Hosting.Service;

public sealed class InboxFileHandlerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-inbox-file-").FullName;
    private readonly LogCapture _logs = new();
    private readonly SignallingTimeProvider _time = new();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_IoErrorTwiceThenSuccess_RetriesAfterOneThenTwoSecondsAndMovesTheFileToDone()
    {
        var path = Drop("urls.txt");
        var attempts = Channel.CreateUnbounded<int>();
        var count = 0;
        var run = Handler().RunAsync(path, _ =>
        {
            attempts.Writer.TryWrite(++count);
            return count < 3 ? throw new IOException("No space left on device") : Task.FromResult(true);
        }, CancellationToken.None);

        Assert.Equal(1, await attempts.Reader.ReadAsync());
        Assert.Equal(TimeSpan.FromSeconds(1), await _time.NextTimerAsync());
        Assert.False(attempts.Reader.TryRead(out _));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, await attempts.Reader.ReadAsync());
        Assert.Equal(TimeSpan.FromSeconds(2), await _time.NextTimerAsync());
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal(InboxFileOutcome.Done, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(3, count);
        Assert.True(File.Exists(Path.Combine(_directory, "done", "urls.txt")));
        Assert.Contains("Inbox file urls.txt: I/O error on attempt 1 of 3 (No space left on device); trying again in 00:00:01", _logs.Messages);
    }

    [Fact]
    public async Task RunAsync_IoErrorOnEveryAttempt_QuarantinesTheFileWithItsReasonBeside()
    {
        var path = Drop("urls.txt");
        var count = 0;
        var run = Handler().RunAsync(path, _ => { count++; throw new IOException("No space left on device"); }, CancellationToken.None);
        _time.Advance(await _time.NextTimerAsync());
        _time.Advance(await _time.NextTimerAsync());

        Assert.Equal(InboxFileOutcome.Quarantined, await run.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(3, count);
        Assert.False(File.Exists(path));
        Assert.True(File.Exists(path + ".failed"));
        var reason = await File.ReadAllTextAsync(path + ".failed.reason");
        Assert.Contains("urls.txt failed: IOException: No space left on device", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NotAnIoError_QuarantinesAtOnce()
    {
        var path = Drop("urls.txt");

        var outcome = await Handler().RunAsync(path, _ => throw new InvalidOperationException("sink broke"), CancellationToken.None);

        Assert.Equal(InboxFileOutcome.Quarantined, outcome);
        Assert.Contains("InvalidOperationException: sink broke", await File.ReadAllTextAsync(path + ".failed.reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FileDeletedDuringTheBatch_IsLoggedAsVanishedInsteadOfThrowing()
    {
        var path = Drop("urls.txt");

        var outcome = await Handler().RunAsync(path, _ =>
        {
            File.Delete(path);
            return Task.FromResult(true);
        }, CancellationToken.None);

        Assert.Equal(InboxFileOutcome.Vanished, outcome);
        Assert.Contains("Inbox file urls.txt vanished during its batch: its results are written, there is nothing to move to done", _logs.Messages);
    }

    [Fact]
    public async Task RunAsync_FileGoneBeforeItsTurn_SkipsWithoutRunningTheBatch()
    {
        var path = Path.Combine(_directory, "gone.txt");
        var ran = false;

        var outcome = await Handler().RunAsync(path, _ => Task.FromResult(ran = true), CancellationToken.None);

        Assert.Equal(InboxFileOutcome.Vanished, outcome);
        Assert.False(ran);
        Assert.Contains("Inbox file gone.txt vanished before its batch could run or finish: skipped", _logs.Messages);
    }

    private InboxFileHandler Handler()
    {
        var options = new ServiceOptions { Done = Path.Combine(_directory, "done"), Attempts = 3 };
        return new InboxFileHandler(options, _time, _logs.CreateLogger("test"));
    }

    private string Drop(string name)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, "http://127.0.0.1/1\n");
        return path;
    }
}
