namespace Pipeline.Worker.Tests.Hosting;

/// <summary>The offline demo's mode: its own setting by default, the command line's <c>--mode</c> when typed.</summary>
[Collection(InProcessHostTests.Name)]
public sealed class DemoModeTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-demo-mode-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunBatchAsync_DemoWithModeSwitch_RunsThatModeInsteadOfTheComparison()
    {
        var output = Path.Combine(_directory, "results.jsonl");

        var (exitCode, stdout, _) = await WorkerHost.RunAsync(
            "--mode", "Sequential",
            "--Pipeline:Demo:UrlCount=3",
            "--Pipeline:Demo:Latency=00:00:00.010",
            "--Pipeline:Telemetry:Exporters=None",
            "--Pipeline:Telemetry:Report=",
            $"--Pipeline:Output={output}");

        Assert.Equal(0, exitCode);
        Assert.DoesNotContain("Sequential vs concurrent", stdout, StringComparison.Ordinal);
        Assert.Contains("Sequential run, 1 consumer", stdout, StringComparison.Ordinal);
        Assert.Equal(3, (await File.ReadAllLinesAsync(output)).Length);
    }
}
