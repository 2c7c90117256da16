using System.Text.Json;

namespace Pipeline.Worker.Tests.Hosting;

/// <summary><c>--concurrency auto</c> through the real host: options, validation and the summary.</summary>
[Collection(InProcessHostTests.Name)]
public sealed class AutoConcurrencyTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-auto-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunBatchAsync_AutoInCompareMode_ExitsWithTwoNamingTheKey()
    {
        var output = Path.Combine(_directory, "results.jsonl");

        var (exitCode, stdout, stderr) = await WorkerHost.RunAsync("--mode", "Compare", "--concurrency", "auto", $"--Pipeline:Output={output}");

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains(
            "  - Pipeline:Adaptive:Enabled (Pipeline:Concurrency 'auto') cannot be used with Pipeline:Mode Compare: the ideal speedup of a run whose concurrency changes is undefined.",
            stderr,
            StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task RunBatchAsync_BadAdaptiveBounds_ExitsWithTwoNamingEachKey()
    {
        var (exitCode, _, stderr) = await WorkerHost.RunAsync(
            "--mode", "Concurrent", "--concurrency", "AUTO", "--Pipeline:Adaptive:Min=0", "--Pipeline:Adaptive:Max=many", "--Pipeline:Adaptive:Window=00:10:00");

        Assert.Equal(2, exitCode);
        Assert.Contains("  - Pipeline:Adaptive:Max: 'many' is not a value of type Int32.", stderr, StringComparison.Ordinal);
        Assert.Contains("  - Pipeline:Adaptive:Min: must be between 1 and 10000.", stderr, StringComparison.Ordinal);
        Assert.Contains("  - Pipeline:Adaptive:Window: must be between 00:00:00.0100000 and 00:01:00.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunBatchAsync_Auto_ReportsTheLimitOverTheRun()
    {
        var output = Path.Combine(_directory, "results.jsonl");

        var (exitCode, stdout, _) = await WorkerHost.RunAsync(
            "--Pipeline:Demo:Mode=Concurrent",
            "--concurrency", "auto",
            "--Pipeline:Adaptive:Max=16",
            "--Pipeline:Demo:UrlCount=40",
            "--Pipeline:Demo:Latency=00:00:00.010",
            $"--Pipeline:Output={output}");

        Assert.Equal(0, exitCode);
        Assert.Contains("Concurrent run, adaptive consumers (auto 1-16)", stdout, StringComparison.Ordinal);
        Assert.Contains("  limit          auto 1-16: min 1   max ", stdout, StringComparison.Ordinal);
        Assert.Contains("  host limits    127.0.0.1 ", stdout, StringComparison.Ordinal);
        Assert.Contains("consumer(s) allowed on average", stdout, StringComparison.Ordinal);
        Assert.Equal(40, (await File.ReadAllLinesAsync(output)).Length);
    }

    [Fact]
    public async Task RunBatchAsync_AutoWithJsonSummary_CarriesTheLimitFigures()
    {
        await using var origin = await Pipeline.DemoOrigin.DemoOriginServer.StartAsync();
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, origin.DelayUrls(20, TimeSpan.Zero));

        var (exitCode, stdout, _) = await WorkerHost.RunAsync(
            "--input", input, "--mode", "Concurrent", "--concurrency", "auto", "--summary", "json", "--output", Path.Combine(_directory, "r.jsonl"));

        Assert.Equal(0, exitCode);
        var json = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(20, json.GetProperty("ok").GetInt32());
        Assert.InRange(json.GetProperty("limit_final").GetInt32(), 1, 256);
        Assert.InRange(json.GetProperty("limit_mean").GetDouble(), 1, 256);
        Assert.Equal(1, json.GetProperty("limit_min").GetInt32());
    }
}
