using System.IO.Compression;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Pipeline.DemoOrigin;
using Pipeline.Worker.Tests.Support;

namespace Pipeline.Worker.Tests.Inputs;

/// <summary>Standard input, <c>.gz</c> files, the CSV and SQLite outputs and standard output, through the real worker process.</summary>
public sealed class InputsOutputsProgramTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-io-program-").FullName;
    private readonly CountingOrigin _origins = new();

    public void Dispose()
    {
        _origins.Dispose();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Main_StandardInput_FetchesEveryLineAndKeepsNoState()
    {
        await using var origin = await _origins.StartAsync(TimeSpan.Zero);
        using var worker = WorkerProcess.StartPiped(Args("-", "r.jsonl"));
        var stderr = worker.StandardError.ReadToEndAsync();
        var stdout = worker.StandardOutput.ReadToEndAsync();
        foreach (var url in Urls(origin, "ok", 20))
        {
            await worker.StandardInput.WriteLineAsync(url);
        }

        worker.StandardInput.Close();
        await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));

        Assert.Equal(0, worker.ExitCode);
        var records = await ReadJsonLinesAsync(Path.Combine(_directory, "r.jsonl"));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (long)i), records.Select(r => r.GetProperty("line").GetInt64()).Order());
        Assert.All(records, r => Assert.Equal("stdin", r.GetProperty("source").GetString()));
        Assert.Contains("not resumable: URLs come from standard input", await stderr, StringComparison.Ordinal);
        Assert.Contains("results", await stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "state", "checkpoints.json")));
    }

    [Fact]
    public async Task Main_StandardInputStopped_ExitsFourSayingNothingWasSaved()
    {
        await using var origin = await _origins.StartAsync(TimeSpan.Zero);
        using var worker = WorkerProcess.StartPiped([.. Args("-", "r.jsonl"), "--summary", "report"]);
        foreach (var url in Urls(origin, "hang", 3))
        {
            await worker.StandardInput.WriteLineAsync(url);
        }

        // Standard input stays open: the reader waits in read(2) when the stop comes.
        await worker.StandardInput.FlushAsync();
        await WorkerProcess.WaitForProgressAsync(worker, 0);
        var stdout = worker.StandardOutput.ReadToEndAsync();
        var stderr = worker.StandardError.ReadToEndAsync();
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", worker.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await worker.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));

        Assert.Equal(4, worker.ExitCode);
        Assert.Contains("not resumable (URLs come from standard input, which cannot be read again): nothing was saved", await stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", await stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_directory, "state", "checkpoints.json")));
    }

    [Fact]
    public async Task Main_StandardInputInCompareMode_ExitsTwoSayingItWouldBeReadTwice()
    {
        var (exitCode, _, stderr) = await WorkerProcess.RunAsync("--input", "-", "--mode", "Compare", "--output", Path.Combine(_directory, "r.jsonl"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Pipeline:Files:0: standard input ('-') cannot be used in Compare mode, which reads its input twice", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_StandardInputForTheProducerRole_ExitsTwoBeforeConnecting()
    {
        // Refused at start-up, before any connection: the broker address is a closed loopback port.
        var (exitCode, _, stderr) = await WorkerProcess.RunAsync(
            "--role", "producer", "--input", "-", "--Pipeline:RabbitMq:Uri", "amqp://guest:guest@127.0.0.1:9/", "--Pipeline:StateDirectory", Path.Combine(_directory, "state"));

        Assert.Equal(2, exitCode);
        Assert.Contains("Pipeline:Files:0: standard input ('-') cannot feed the producer role", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("r.txt")]
    [InlineData("results")]
    public async Task Main_OutputWithAnUnknownExtension_ExitsTwoNamingThePath(string name)
    {
        var input = await WriteUrlsAsync(new Uri("http://127.0.0.1:9/"), "urls.txt", "ok", 1);
        var output = Path.Combine(_directory, name);

        var (exitCode, _, stderr) = await WorkerProcess.RunAsync("--input", input, "--output", output);

        Assert.Equal(2, exitCode);
        Assert.Contains($"Pipeline:Output: '{output}' has an extension no results format has ({output}): use .jsonl", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task Main_OutputToStandardOutput_WritesOnlyRecordsThereAndTheSummaryToStderr()
    {
        await using var origin = await _origins.StartAsync(TimeSpan.Zero);
        var input = await WriteUrlsAsync(origin.BaseAddress, "urls.txt", "ok", 5, secret: true);

        var (exitCode, stdout, stderr) = await WorkerProcess.RunAsync(Args(input, "-"));

        Assert.Equal(0, exitCode);
        var records = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(5, records.Count);
        Assert.All(records, r => Assert.Equal("succeeded", r.GetProperty("outcome").GetString()));
        Assert.DoesNotContain("s3cret", stdout, StringComparison.Ordinal);
        Assert.Contains("5 succeeded", stderr, StringComparison.Ordinal);
        Assert.Contains("not resumable: results go to standard output", stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("urls.txt.gz", "results.csv")]
    [InlineData("urls.txt", "results.db")]
    [InlineData("urls.txt.gz", "results.db")]
    public async Task Main_KilledHardAndRestarted_EndsWithOneRecordPerLineInEveryFormat(string inputName, string outputName)
    {
        const int Lines = 600;
        await using var origin = await _origins.StartAsync(TimeSpan.FromMilliseconds(50));
        var input = await WriteUrlsAsync(origin.BaseAddress, inputName, "slow", Lines, secret: true);
        var output = Path.Combine(_directory, outputName);
        string[] args = [.. Args(input, outputName, 10), "--Pipeline:ResultChannelCapacity=10", "--Pipeline:CheckpointInterval=00:00:00.300"];
        for (var kill = 0; kill < 2; kill++)
        {
            using var worker = WorkerProcess.Start(args);
            await WorkerProcess.WaitForProgressAsync(worker, 60 + (kill * 150));
            Assert.Equal(137, await WorkerProcess.SignalAndWaitAsync(worker, "-KILL"));
        }

        var (exitCode, _, _) = await WorkerProcess.RunAsync(args);

        Assert.Equal(0, exitCode);
        var rows = await ReadRowsAsync(output);
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => (long)i), rows.Select(r => r.Line).Order());
        Assert.All(rows, r => Assert.Equal("succeeded", r.Outcome));
        Assert.All(rows, r => Assert.EndsWith("?token=REDACTED", r.Url, StringComparison.Ordinal));
        Assert.Equal(Lines, _origins.Requests.Count);
    }

    [Theory]
    [InlineData("urls.txt")]
    [InlineData("urls.txt.gz")]
    public async Task Main_FileInput_ProgressLineGivesTheShareReadAndTheTimeLeft(string inputName)
    {
        // Large enough that the file is read in many chunks (of a .gz file, compressed ones) while the channel holds the reading back.
        await using var origin = await _origins.StartAsync(TimeSpan.Zero);
        var input = await WriteUrlsAsync(origin.BaseAddress, inputName, "ok", 40_000, secret: true);
        using var worker = WorkerProcess.Start(Args(input, "r.jsonl", 4));

        var line = await WorkerProcess.WaitForStderrAsync(worker, l => l.Contains("% read, ", StringComparison.Ordinal));

        Assert.Matches(@"Progress \(concurrent x4\): \d+ done, .*; input \d{1,2}% read, \d+(s|m\d\ds|h\d\dm) left$", line);
        Assert.Equal(137, await WorkerProcess.SignalAndWaitAsync(worker, "-KILL"));
    }

    private string[] Args(string input, string output, int concurrency = 2) =>
    [
        "--input", input, "--mode", "Concurrent", "--concurrency", $"{concurrency}", "--output", output == "-" ? output : Path.Combine(_directory, output),
        "--Pipeline:ShutdownGrace=00:00:00", "--Pipeline:ProgressInterval=00:00:00.100",
        $"--Pipeline:StateDirectory={Path.Combine(_directory, "state")}",
    ];

    private static async Task<List<(long Line, string Outcome, string Url)>> ReadRowsAsync(string path)
    {
        if (path.EndsWith(".csv", StringComparison.Ordinal))
        {
            var lines = await File.ReadAllLinesAsync(path);
            Assert.Equal("url,source,line,mode,outcome", string.Join(',', lines[0].Split(',').Take(5)));
            return [.. lines.Skip(1).Select(l => l.Split(',')).Select(f => (long.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), f[4], f[0]))];
        }

        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT line, outcome, url FROM results ORDER BY id";
        using var reader = command.ExecuteReader();
        var rows = new List<(long, string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    private static IEnumerable<string> Urls(DemoOriginServer origin, string path, int count)
        => Enumerable.Range(1, count).Select(i => new Uri(origin.BaseAddress, $"{path}/{i}").ToString());

    private async Task<string> WriteUrlsAsync(Uri origin, string name, string path, int count, bool secret = false)
    {
        var file = Path.Combine(_directory, name);
        var lines = Enumerable.Range(1, count).Select(i => new Uri(origin, $"{path}/{i}").ToString() + (secret ? "?token=s3cret" : string.Empty));
        await using var stream = File.Create(file);
        await using var compressed = name.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionLevel.Optimal) : (Stream)stream;
        await using var writer = new StreamWriter(compressed);
        foreach (var line in lines)
        {
            await writer.WriteLineAsync(line);
        }

        return file;
    }

    private static async Task<List<JsonElement>> ReadJsonLinesAsync(string path)
        => [.. (await File.ReadAllLinesAsync(path)).Select(l => JsonDocument.Parse(l).RootElement)];
}
