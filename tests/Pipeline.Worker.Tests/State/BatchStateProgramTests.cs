using System.Text.Json;
using Pipeline.DemoOrigin;
using Pipeline.State;
using Pipeline.Worker.Tests.Support;

namespace Pipeline.Worker.Tests.State;

/// <summary>Batch state through the real worker process: other batches, damage, one instance, hard kills.</summary>
public sealed class BatchStateProgramTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-state-program-").FullName;
    private readonly CountingOrigin _origins = new();

    public void Dispose()
    {
        _origins.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Main_StateOfAnotherStoppedBatch_ExitsTwoWithOneLineThenFreshRunsTheNewBatch()
    {
        await using var origin = await _origins.StartAsync(TimeSpan.Zero);
        var a = await WriteUrlsAsync(origin, "a.txt", "hang", 20);
        using (var first = WorkerProcess.Start(Args(a, "a.jsonl")))
        {
            await WorkerProcess.WaitForProgressAsync(first, 0);
            Assert.Equal(130, await WorkerProcess.SignalAndWaitAsync(first, "-TERM"));
        }

        var b = await WriteUrlsAsync(origin, "b.txt", "ok", 5);
        var (refused, _, stderr) = await WorkerProcess.RunAsync(Args(b, "b.jsonl"));

        Assert.Equal(2, refused);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains("another, stopped batch", StringComparison.Ordinal));
        Assert.Contains(a, line, StringComparison.Ordinal);
        Assert.Contains("--fresh", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "b.jsonl")));

        var (exitCode, _, _) = await WorkerProcess.RunAsync([.. Args(b, "b.jsonl"), "--Pipeline:Fresh=true"]);

        Assert.Equal(0, exitCode);
        var records = await ReadRecordsAsync(Path.Combine(_directory, "b.jsonl"));
        Assert.Equal(5, records.Count);
        Assert.All(records, r => Assert.Equal(b, r.GetProperty("source").GetString()));
        Assert.Single(Directory.GetDirectories(Path.Combine(_directory, "state"), "discarded-*"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"version\":1,\"checksum\":\"00\",\"state\":{\"bat")]
    [InlineData("garbage that is not JSON")]
    public async Task Main_DamagedCheckpointFile_ExitsTwoNamingItWithoutAStackTrace(string content)
    {
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllTextAsync(input, "http://127.0.0.1:9/1\n");
        var state = Directory.CreateDirectory(Path.Combine(_directory, "state")).FullName;
        var checkpoints = Path.Combine(state, "checkpoints.json");
        await File.WriteAllTextAsync(checkpoints, content);

        var (exitCode, _, stderr) = await WorkerProcess.RunAsync(Args(input, "r.jsonl"));

        Assert.Equal(2, exitCode);
        Assert.Contains(checkpoints + " is damaged: ", stderr, StringComparison.Ordinal);
        Assert.Contains("--fresh", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_SecondInstanceOnOneStateFolder_ExitsTwoNamingTheHolderAndANewOneTakesOverAfterAKill()
    {
        await using var origin = await _origins.StartAsync(TimeSpan.Zero);
        var input = await WriteUrlsAsync(origin, "urls.txt", "hang", 10);
        var args = Args(input, "r.jsonl");
        using var first = WorkerProcess.Start(args);
        await WorkerProcess.WaitForProgressAsync(first, 0);

        var (second, _, stderr) = await WorkerProcess.RunAsync(args);

        Assert.Equal(2, second);
        Assert.Contains($"(pid {first.Id}, batch)", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);

        Assert.Equal(137, await WorkerProcess.SignalAndWaitAsync(first, "-KILL"));
        await _origins.ReleaseHung();
        var (third, _, _) = await WorkerProcess.RunAsync(args);

        Assert.Equal(0, third);
        Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), (await ReadRecordsAsync(Path.Combine(_directory, "r.jsonl"))).Select(r => r.GetProperty("line").GetInt64()).Order());
    }

    [Fact]
    public async Task Main_KilledHardAtRandomPointsAndRestarted_EndsWithOneRecordPerLineAndFewRepeats()
    {
        const int Lines = 2_000;
        const int Concurrency = 20;
        const int ResultChannel = 20;
        var latency = TimeSpan.FromMilliseconds(50);
        await using var origin = await _origins.StartAsync(latency);
        var input = await WriteUrlsAsync(origin, "urls.txt", "slow", Lines);
        var output = Path.Combine(_directory, "results.jsonl");
        string[] args =
        [
            .. Args(input, "results.jsonl", Concurrency),
            $"--Pipeline:ResultChannelCapacity={ResultChannel}", "--Pipeline:CheckpointInterval=00:00:00.500",
        ];
        var random = new Random(12);
        long allowedRepeats = 0;
        for (var kill = 0; kill < 4; kill++)
        {
            using var worker = WorkerProcess.Start(args);
            var remaining = Lines - await DoneLinesAsync(output);
            var target = random.Next(20, Math.Max(21, (int)remaining / 3));
            await WorkerProcess.WaitForProgressAsync(worker, target);
            Assert.Equal(137, await WorkerProcess.SignalAndWaitAsync(worker, "-KILL"));

            // What the next start owes again: results written after the last checkpoint, fetches in
            // flight, results waiting for the sink, and what the sink held for its next flush (at
            // most two rounds of the consumers in one 100 ms flush interval at >= 50 ms a fetch).
            allowedRepeats += await LinesAfterCheckpointAsync(output) + Concurrency + ResultChannel + (2 * Concurrency);
        }

        var (exitCode, _, _) = await WorkerProcess.RunAsync(args);

        Assert.Equal(0, exitCode);
        var records = await ReadRecordsAsync(output);
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => (long)i), records.Select(r => r.GetProperty("line").GetInt64()).Order());
        Assert.All(records, r => Assert.Equal("succeeded", r.GetProperty("outcome").GetString()));
        Assert.Equal(Lines, _origins.Requests.Count);
        var repeats = _origins.Requests.Values.Sum() - Lines;
        Assert.True(repeats <= allowedRepeats, $"{repeats} repeated fetches, bound {allowedRepeats}");
    }

    private string[] Args(string input, string output, int concurrency = 2) =>
    [
        "--input", input, "--mode", "Concurrent", "--concurrency", $"{concurrency}", "--output", Path.Combine(_directory, output),
        "--Pipeline:ShutdownGrace=00:00:00", "--Pipeline:ProgressInterval=00:00:00.100",
        $"--Pipeline:StateDirectory={Path.Combine(_directory, "state")}",
    ];

    private async Task<string> WriteUrlsAsync(DemoOriginServer origin, string name, string path, int count)
    {
        var file = Path.Combine(_directory, name);
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, count).Select(i => new Uri(origin.BaseAddress, $"{path}/{i}").ToString()));
        return file;
    }

    private static async Task<long> DoneLinesAsync(string output) => File.Exists(output) ? (await File.ReadAllLinesAsync(output)).Length : 0;

    private async Task<long> LinesAfterCheckpointAsync(string output)
    {
        var saved = await new RunStateStore(Path.Combine(_directory, "state")).LoadAsync(CancellationToken.None);
        var kept = saved?.Batch.ResultsLength ?? 0;
        var bytes = await File.ReadAllBytesAsync(output);
        return bytes.AsSpan((int)kept).Count((byte)'\n');
    }

    private static async Task<List<JsonElement>> ReadRecordsAsync(string path)
        => [.. (await File.ReadAllLinesAsync(path)).Select(l => JsonDocument.Parse(l).RootElement)];
}
