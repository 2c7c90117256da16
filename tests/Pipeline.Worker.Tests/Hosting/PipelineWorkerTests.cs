using System.Text.Json;

namespace Pipeline.Worker.Tests.Hosting;

[Collection(InProcessHostTests.Name)]
public sealed class PipelineWorkerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-worker-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunBatchAsync_InvalidConfiguration_ExitsWithTwoAndNamesEveryBadKey()
    {
        var output = Path.Combine(_directory, "results.jsonl");

        var (exitCode, stdout, stderr) = await WorkerHost.RunAsync(
            "--Pipeline:Mode=Fast",
            "--Pipeline:Concurrency=0",
            "--Pipeline:Http:RequestTimeout=soon",
            "--Pipeline:Demo:Latency=00:05:00",
            $"--Pipeline:Output={output}");

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Equal(
            """
            Invalid configuration (appsettings.json, environment variables or command line):
              - Pipeline:Mode: 'Fast' is not valid. Allowed values: Sequential, Concurrent, Compare.
              - Pipeline:Concurrency: must be between 1 and 10000.
              - Pipeline:Http:RequestTimeout: 'soon' is not a duration such as 00:00:05 (hh:mm:ss).
              - Pipeline:Demo:Latency: must be between 00:00:00 and 00:01:00.

            """.ReplaceLineEndings(),
            stderr.ReplaceLineEndings());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public async Task RunBatchAsync_NoSourcesInCompareMode_RunsTheDemoBothWaysAndPrintsTheComparison()
    {
        var output = Path.Combine(_directory, "results.jsonl");

        var (exitCode, stdout, _) = await WorkerHost.RunAsync(
            "--Pipeline:Mode=Compare",
            "--Pipeline:Concurrency=3",
            "--Pipeline:Demo:UrlCount=6",
            "--Pipeline:Demo:Latency=00:00:00.010",
            $"--Pipeline:Output={output}");

        Assert.Equal(0, exitCode);
        Assert.Contains("Sequential vs concurrent, same 6 line(s)", stdout, StringComparison.Ordinal);
        Assert.Contains("  consumers                      1               3", stdout, StringComparison.Ordinal);
        Assert.Contains("  succeeded                      6               6", stdout, StringComparison.Ordinal);
        Assert.Contains("ideal 3.00x (6 URLs over 3 consumers = 2 round(s) instead of 6)", stdout, StringComparison.Ordinal);
        Assert.Contains($"  results        {output}", stdout, StringComparison.Ordinal);
        var records = (await File.ReadAllLinesAsync(output)).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(6, records.Count(r => r.GetProperty("mode").GetString() == "sequential"));
        Assert.Equal(6, records.Count(r => r.GetProperty("mode").GetString() == "concurrent"));
        Assert.All(records, r => Assert.Equal("succeeded", r.GetProperty("outcome").GetString()));
        Assert.All(records, r => Assert.Equal("demo", r.GetProperty("source").GetString()));
    }

    [Fact]
    public async Task RunBatchAsync_FileWithABadLine_ExitsWithThreeAndReportsTheLine()
    {
        await using var origin = await Pipeline.DemoOrigin.DemoOriginServer.StartAsync();
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, ["# two good, one bad", .. origin.DelayUrls(2, TimeSpan.Zero), "mailto:someone@example.test"]);
        // The folder must exist: a results file in a missing folder is refused at start-up.
        var output = Path.Combine(Directory.CreateDirectory(Path.Combine(_directory, "out")).FullName, "results.jsonl");

        var (exitCode, stdout, _) = await WorkerHost.RunAsync(
            "--Pipeline:Mode=Concurrent",
            "--Pipeline:Concurrency=2",
            $"--Pipeline:Files:0={input}",
            $"--Pipeline:Output={output}");

        Assert.Equal(3, exitCode);
        Assert.Contains("Concurrent run, 2 consumers", stdout, StringComparison.Ordinal);
        Assert.Contains("lines          3  (2 succeeded, 0 http_error, 0 failed, 1 invalid, 0 duplicate, 0 cancelled, 0 pending)", stdout, StringComparison.Ordinal);
        var bad = (await File.ReadAllLinesAsync(output)).Select(l => JsonDocument.Parse(l).RootElement).Single(r => r.GetProperty("outcome").GetString() == "invalid");
        Assert.Equal(4, bad.GetProperty("line").GetInt32());
        Assert.Equal(input, bad.GetProperty("source").GetString());
        Assert.Equal("unsupported scheme 'mailto': only http and https are fetched", bad.GetProperty("error").GetString());
    }
}
