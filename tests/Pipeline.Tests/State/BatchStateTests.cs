using System.Text.Json;
using Pipeline.Sources;
using Pipeline.State;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.State;

/// <summary>State that belongs to a batch: other batches refused, damage reported, resumes exact. Real files, in-process job.</summary>
public sealed class BatchStateTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_StateOfAnotherBatch_RefusesWithTheWayOutAndFreshMovesItAside()
    {
        var a = await StopAfterAsync("a.txt", lines: 20);
        var b = Options("b.txt", Path.Combine(_directory, "b.jsonl"));
        var bInput = await WriteUrlsAsync("b.txt", 5);

        var refused = await Assert.ThrowsAsync<BatchStateException>(() => JobHarness.Job(new ScriptedFetcher(_ => true), b).RunAsync([new TextFileUrlSource(bInput)], null, CancellationToken.None).Guarded());

        Assert.Equal(BatchStateProblem.OtherBatch, refused.Problem);
        Assert.Contains(Path.Combine(_directory, "a.txt"), refused.Message, StringComparison.Ordinal);
        Assert.Contains("Rerun that batch's command to resume it", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--fresh (Pipeline:Fresh=true)", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', refused.Message);
        Assert.False(File.Exists(b.Output));

        b.Fresh = true;
        var report = await JobHarness.Job(new ScriptedFetcher(_ => true), b).RunAsync([new TextFileUrlSource(bInput)], null, CancellationToken.None).Guarded();

        Assert.False(report.Resumed);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => (long)i), (await ReadRecordsAsync(b.Output)).Select(r => r.GetProperty("line").GetInt64()).Order());
        Assert.All(await ReadRecordsAsync(b.Output), r => Assert.Equal(bInput, r.GetProperty("source").GetString()));
        var aside = Assert.Single(Directory.GetDirectories(a.StateDirectory, "discarded-*"));
        Assert.True(File.Exists(Path.Combine(aside, "checkpoints.json")));
        Assert.True(File.Exists(Path.Combine(aside, "pending.jsonl")));
    }

    [Theory]
    [InlineData("checkpoints.json", "empty")]
    [InlineData("checkpoints.json", "truncated")]
    [InlineData("checkpoints.json", "garbage")]
    [InlineData("pending.jsonl", "empty")]
    [InlineData("pending.jsonl", "truncated")]
    [InlineData("pending.jsonl", "garbage")]
    public async Task RunAsync_DamagedStateFile_RefusesNamingTheFileAndWhatIsWrong(string file, string damage)
    {
        var options = await StopAfterAsync("urls.txt", lines: 20);
        var path = Path.Combine(options.StateDirectory, file);
        var content = await File.ReadAllBytesAsync(path);
        Assert.NotEmpty(content);
        await File.WriteAllBytesAsync(path, damage switch
        {
            "empty" => [],
            "truncated" => content[..(content.Length / 2)],
            _ => "{\"this is\": not state}\n"u8.ToArray(),
        });

        var refused = await Assert.ThrowsAsync<BatchStateException>(() => JobHarness.Job(new ScriptedFetcher(_ => true), options).RunAsync([new TextFileUrlSource(options.Files[0])], null, CancellationToken.None).Guarded());

        Assert.Equal(BatchStateProblem.Damaged, refused.Problem);
        Assert.StartsWith(path + " is damaged: ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--fresh", refused.Message, StringComparison.Ordinal);

        // Nothing was fetched and the state is still there for a person to look at.
        Assert.Equal(5, (await File.ReadAllLinesAsync(options.Output)).Length);
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task RunAsync_StoppedDuringTheSkipOfAResumedSource_KeepsItsCheckpoint()
    {
        var options = await StopAfterAsync("big.txt", lines: 200_000, channel: 150_000);
        var before = await CheckpointLineAsync(options);
        Assert.True(before >= 150_000, $"checkpoint at {before}");

        // Stopped as soon as the run starts: the resumed source is still skipping its done lines.
        using var stop = new CancellationTokenSource();
        var report = await JobHarness.Job(new ScriptedFetcher(_ => true), options).RunAsync([new TextFileUrlSource(options.Files[0])], new CallbackObserver { RunStarted = stop.Cancel }, stop.Token).Guarded();

        Assert.True(report.Interrupted);
        Assert.True(await CheckpointLineAsync(options) >= before);
    }

    [Fact]
    public async Task RunAsync_OverLongLineLeftPending_IsStillInvalidAfterResume()
    {
        var input = Path.Combine(_directory, "long.txt");
        await File.WriteAllLinesAsync(input, ["http://127.0.0.1:9/1", "http://127.0.0.1:9/" + new string('x', UrlLineParser.MaxUrlLength + 10), "http://127.0.0.1:9/3"]);
        var options = Options("long.txt", Path.Combine(_directory, "long.jsonl"));
        options.Mode = PipelineMode.Sequential;

        // Line 1 hangs, the long line waits in the channel and line 3 for room in it when the run is stopped.
        options.ChannelCapacity = 1;
        using var stop = new CancellationTokenSource();
        var observer = new CallbackObserver { ProducerBlocked = item => { if (item.Line == 3) { stop.Cancel(); } } };
        var first = await JobHarness.Job(new ScriptedFetcher(item => item.Line != 1), options).RunAsync([new TextFileUrlSource(input)], observer, stop.Token).Guarded();
        Assert.True(first.Interrupted);

        var fetcher = new ScriptedFetcher(_ => true);
        var second = await JobHarness.Job(fetcher, options).RunAsync([new TextFileUrlSource(input)], null, CancellationToken.None).Guarded();

        var records = (await ReadRecordsAsync(options.Output)).ToDictionary(r => r.GetProperty("line").GetInt64());
        Assert.Equal([1L, 2, 3], records.Keys.Order());
        Assert.Equal("invalid", records[2].GetProperty("outcome").GetString());
        Assert.StartsWith("line is ", records[2].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, fetcher.Fetched);
        Assert.Equal(1, second.Runs.Single().Invalid);
    }

    [Fact]
    public async Task RunAsync_ResumedDuplicate_StaysADuplicate()
    {
        var input = await WriteUrlsAsync("dup.txt", 0);
        await File.WriteAllLinesAsync(input, ["http://127.0.0.1:9/a", "http://127.0.0.1:9/hang", "http://127.0.0.1:9/a", "http://127.0.0.1:9/b"]);
        var options = Options("dup.txt", Path.Combine(_directory, "dup.jsonl"));
        options.Mode = PipelineMode.Sequential;
        options.ChannelCapacity = 1;

        // Line 2 hangs, line 3 (a repeat of line 1) waits in the channel, line 4 for room in it.
        using var stop = new CancellationTokenSource();
        var observer = new CallbackObserver { ProducerBlocked = item => { if (item.Line == 4) { stop.Cancel(); } } };
        await JobHarness.Job(new ScriptedFetcher(item => item.Line != 2), options).RunAsync([new TextFileUrlSource(input)], observer, stop.Token).Guarded();

        var fetcher = new ScriptedFetcher(_ => true);
        await JobHarness.Job(fetcher, options).RunAsync([new TextFileUrlSource(input)], null, CancellationToken.None).Guarded();

        var outcomes = (await ReadRecordsAsync(options.Output)).ToDictionary(r => r.GetProperty("line").GetInt64(), r => r.GetProperty("outcome").GetString());
        Assert.Equal("succeeded", outcomes[1]);
        Assert.Equal("succeeded", outcomes[2]);
        Assert.Equal("duplicate", outcomes[3]);
        Assert.Equal("succeeded", outcomes[4]);
        Assert.Equal(2, fetcher.Fetched);
    }

    // A batch over `lines` URLs, lines 1-5 succeed and the rest hang: the two consumers hold lines 6
    // and 7, the channel 8 to 7 + channel, and the stop comes when line 8 + channel waits for room.
    private async Task<PipelineOptions> StopAfterAsync(string name, int lines, int channel = 3)
    {
        var input = await WriteUrlsAsync(name, lines);
        var options = Options(name, Path.Combine(_directory, Path.ChangeExtension(name, ".jsonl")));
        options.ChannelCapacity = channel;
        using var stop = new CancellationTokenSource();
        var observer = new CallbackObserver { ProducerBlocked = item => { if (item.Line == 8 + channel) { stop.Cancel(); } } };
        var report = await JobHarness.Job(new ScriptedFetcher(item => item.Line <= 5), options).RunAsync([new TextFileUrlSource(input)], observer, stop.Token).Guarded();
        Assert.True(report.StateSaved);
        return options;
    }

    private PipelineOptions Options(string input, string output)
    {
        var options = new PipelineOptions
        {
            Mode = PipelineMode.Concurrent,
            Concurrency = 2,
            ChannelCapacity = 3,
            ShutdownGrace = TimeSpan.Zero,
            Output = output,
            StateDirectory = Path.Combine(_directory, "state"),
        };
        options.Files.Add(Path.Combine(_directory, input));
        return options;
    }

    private async Task<string> WriteUrlsAsync(string name, int count)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllLinesAsync(path, Enumerable.Range(1, count).Select(i => $"http://127.0.0.1:9/{i}"));
        return path;
    }

    private static async Task<long> CheckpointLineAsync(PipelineOptions options)
    {
        var (batch, _) = (await new RunStateStore(options.StateDirectory).LoadAsync(CancellationToken.None))!.Value;
        return batch.Checkpoints.Single().LastLine;
    }

    private static async Task<List<JsonElement>> ReadRecordsAsync(string path)
        => [.. (await File.ReadAllLinesAsync(path)).Select(l => JsonDocument.Parse(l).RootElement)];
}
