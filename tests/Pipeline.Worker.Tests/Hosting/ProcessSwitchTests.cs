using System.Text.Json;
using Pipeline.DemoOrigin;

namespace Pipeline.Worker.Tests.Hosting;

public sealed class ProcessSwitchTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-process-switch-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Main_ProcessUnknownStep_ExitsWithTwoNamingTheKey()
    {
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllTextAsync(input, "http://127.0.0.1:9/never\n");

        var (exitCode, stdout, stderr) = await WorkerHost.RunAsync("--input", input, "--process", "title,tilte", "--Pipeline:Process:Parallelism=0", "--output", Path.Combine(_directory, "r.jsonl"));

        Assert.Equal(2, exitCode);
        Assert.Equal(string.Empty, stdout);
        Assert.Contains("  - Pipeline:Process:Steps: unknown step 'tilte' (known: title, links, sha256, save).", stderr, StringComparison.Ordinal);
        Assert.Contains("  - Pipeline:Process:Parallelism: must be between 1 and 1024.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_ProcessSteps_SummarySplitsFetchAndProcessAndRecordsCarryTheOutputs()
    {
        await using var origin = await DemoOriginServer.StartAsync();
        var input = Path.Combine(_directory, "urls.txt");
        var output = Path.Combine(_directory, "r.jsonl");
        await File.WriteAllLinesAsync(input, origin.PageUrls(6, links: 100, TimeSpan.Zero));

        var (exitCode, stdout, _) = await WorkerHost.RunAsync("--input", input, "--process", "title,links", "--summary", "json", "--output", output, "--Pipeline:Process:Parallelism=2");

        Assert.Equal(0, exitCode);
        var summary = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal((2, 6), (summary.GetProperty("process_workers").GetInt32(), summary.GetProperty("processed").GetInt32()));
        Assert.True(summary.TryGetProperty("process_utilisation", out _));
        Assert.True(summary.TryGetProperty("fetch_utilisation", out _));
        Assert.All(await File.ReadAllLinesAsync(output), line => Assert.Equal(100, JsonDocument.Parse(line).RootElement.GetProperty("process").GetProperty("links").GetInt32()));
    }
}
