using System.Text;
using Pipeline.Sinks;
using Pipeline.State;

namespace Pipeline.Tests.State;

public sealed class DurableFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-durable-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData("", TailRepairMode.Trim, "", TailRepairAction.None)]
    [InlineData("{\"a\":1}\n", TailRepairMode.Trim, "{\"a\":1}\n", TailRepairAction.None)]
    [InlineData("{\"a\":1}\n{\"b\":", TailRepairMode.Trim, "{\"a\":1}\n", TailRepairAction.Trimmed)]
    [InlineData("{\"b\":", TailRepairMode.Trim, "", TailRepairAction.Trimmed)]
    [InlineData("{\"a\":1}\n{\"b\":", TailRepairMode.End, "{\"a\":1}\n{\"b\":\n", TailRepairAction.Ended)]
    public void RepairTail_PartialLastLine_TrimsOrEndsIt(string content, TailRepairMode mode, string expected, TailRepairAction action)
    {
        var path = Path.Combine(_directory, "r.jsonl");
        File.WriteAllText(path, content);

        TailRepair repair;
        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            repair = DurableFile.RepairTail(stream, mode);
        }

        Assert.Equal(expected, File.ReadAllText(path));
        Assert.Equal(action, repair.Action);
    }

    [Fact]
    public void RepairTail_PartialLineLongerThanABlock_FindsTheLastNewline()
    {
        var path = Path.Combine(_directory, "r.jsonl");
        File.WriteAllText(path, "{\"a\":1}\n" + new string('x', 10_000));

        using (var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite))
        {
            Assert.Equal(new TailRepair(TailRepairAction.Trimmed, 10_000), DurableFile.RepairTail(stream, TailRepairMode.Trim));
        }

        Assert.Equal("{\"a\":1}\n", File.ReadAllText(path));
    }

    [Fact]
    public async Task Create_AppendingAfterATornRecord_KeepsEveryLineValid()
    {
        var path = Path.Combine(_directory, "r.jsonl");
        await File.WriteAllTextAsync(path, "{\"url\":\"http://127.0.0.1/1\"}\n{\"url\":\"http://127.0.0.1/2\",\"sou");

        await using (var sink = JsonLinesResultSink.Create(path, append: true))
        {
            Assert.Equal(TailRepairAction.Trimmed, sink.TailRepair.Action);
            await sink.WriteAsync(new Pipeline.Fetching.FetchResult { Url = "http://127.0.0.1/3", Source = "s", Line = 3, Outcome = Pipeline.Fetching.FetchOutcome.Succeeded }, CancellationToken.None);
            await sink.FlushAsync(CancellationToken.None);
        }

        var lines = await File.ReadAllLinesAsync(path);
        Assert.Equal(2, lines.Length);
        Assert.All(lines, l => System.Text.Json.JsonDocument.Parse(l).Dispose());
    }

    [Fact]
    public async Task OpenForBatch_ResumedCheckpoint_CutsTheFileBackToItsLength()
    {
        var path = Path.Combine(_directory, "r.jsonl");
        var kept = "{\"line\":1}\n";
        await File.WriteAllTextAsync(path, kept + "{\"line\":2}\n{\"li");

        await using (var sink = JsonLinesResultSink.OpenForBatch(path, Encoding.UTF8.GetByteCount(kept)))
        {
            Assert.Equal(kept.Length, sink.FlushedLength);
        }

        Assert.Equal(kept, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task OpenForBatch_FileShorterThanTheCheckpoint_RefusesAsDamaged()
    {
        var path = Path.Combine(_directory, "r.jsonl");
        await File.WriteAllTextAsync(path, "{}\n");

        var refused = Assert.Throws<BatchStateException>(() => JsonLinesResultSink.OpenForBatch(path, 100));

        Assert.Equal(BatchStateProblem.Damaged, refused.Problem);
        Assert.Contains("recorded 100", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteAtomicAsync_ReplacesTheWholeFileAndLeavesNoTemporary()
    {
        var path = Path.Combine(_directory, "sub", "state.json");
        await DurableFile.WriteAtomicAsync(path, "old"u8.ToArray(), CancellationToken.None);

        await DurableFile.WriteAtomicAsync(path, "new"u8.ToArray(), CancellationToken.None);

        Assert.Equal("new", await File.ReadAllTextAsync(path));
        Assert.Equal(["state.json"], Directory.EnumerateFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
    }

    [Fact]
    public void Acquire_SecondHolderInOneFolder_IsRefusedNamingTheFirstUntilItIsReleased()
    {
        using (var first = StateLock.Acquire(_directory, "batch"))
        {
            var refused = Assert.Throws<StateLockedException>(() => StateLock.Acquire(_directory, "service"));
            Assert.Equal(Environment.ProcessId, refused.Pid);
            Assert.Contains($"(pid {Environment.ProcessId}, batch)", refused.Message, StringComparison.Ordinal);
        }

        using var second = StateLock.Acquire(_directory, "service");
        Assert.Null(second.PreviousOwner);
    }

    [Fact]
    public async Task Save_StoppedBetweenTheTwoRenames_IsFinishedOnTheNextLoad()
    {
        var store = new RunStateStore(_directory);
        var batch = new SavedBatch(new BatchIdentity(["a.txt"], "r.jsonl"), [new Checkpoint("a.txt", "1:2", 3, 3, false)], 0, 0, string.Empty, 1, DateTimeOffset.UnixEpoch);
        await store.SaveAsync(batch, [new PendingEntry("a.txt", 1, "http://127.0.0.1/1", null, null)], CancellationToken.None);
        await store.SaveAsync(batch with { Generation = 2 }, [new PendingEntry("a.txt", 2, "http://127.0.0.1/2", null, null)], CancellationToken.None);

        // What a crash after the checkpoint's rename and before the ledger's leaves: the new ledger
        // beside the old one.
        File.Move(store.PendingPath, store.PendingPath + ".new");
        await File.WriteAllBytesAsync(store.PendingPath, await File.ReadAllBytesAsync(Path.Combine(_directory, "pending.jsonl.new")).ContinueWith(t => t.Result[..10], TaskScheduler.Default));

        var (saved, pending) = (await store.LoadAsync(CancellationToken.None))!.Value;

        Assert.Equal(2, saved.Generation);
        Assert.Equal(2, Assert.Single(pending).Line);
        Assert.False(File.Exists(store.PendingPath + ".new"));
    }
}
