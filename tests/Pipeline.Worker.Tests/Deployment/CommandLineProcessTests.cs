using Pipeline.DemoOrigin;
using Pipeline.Worker.Hosting;
using Pipeline.Worker.Hosting.Service;

namespace Pipeline.Worker.Tests.Deployment;

/// <summary>The command-line section of the README, run as a user types it.</summary>
public sealed class CommandLineProcessTests : IDisposable
{
    private static readonly Dictionary<string, string> NoEnvironment = [];
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Main_MistypedSwitch_ExitsWithTwoAndNamesTheSwitchItMeant()
    {
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--inptu", "urls.txt");

        var (exitCode, stdout) = await process.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal(["unknown option '--inptu' (did you mean '--input'?)"], process.Lines);
    }

    [Fact]
    public async Task Main_Help_ListsTheSwitchesAndExitsZero()
    {
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--help");

        var (exitCode, stdout) = await process.ExitAsync();

        Assert.Equal(0, exitCode);
        Assert.Equal(PipelineCommandLine.Help(), stdout);
    }

    [Fact]
    public async Task Main_Version_PrintsTheVersion()
    {
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--version");

        var (exitCode, stdout) = await process.ExitAsync();

        Assert.Equal(0, exitCode);
        Assert.StartsWith("Pipeline.Worker 1.0.0", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_TwoInputs_FetchesBothFiles()
    {
        await using var origin = await DemoOriginServer.StartAsync();
        var a = Path.Combine(_directory, "a.txt");
        var b = Path.Combine(_directory, "b.txt");
        await File.WriteAllLinesAsync(a, origin.DelayUrls(2, TimeSpan.Zero));
        await File.WriteAllLinesAsync(b, origin.DelayUrls(3, TimeSpan.Zero).Skip(2).Append(origin.DelayUrls(4, TimeSpan.Zero)[3]).Append(origin.DelayUrls(5, TimeSpan.Zero)[4]));
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--input", a, "--input", b, "--output", Path.Combine(_directory, "out.jsonl"));

        var (exitCode, stdout) = await process.ExitAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("5 line(s): 5 succeeded", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_AcceptedStatus_CountsAsSucceededAndExitsZero()
    {
        await using var origin = await DemoOriginServer.StartAsync();
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, [new Uri(origin.BaseAddress, "status/403").ToString(), new Uri(origin.BaseAddress, "ok").ToString()]);
        var output = Path.Combine(_directory, "out.jsonl");
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--input", input, "--accept", "200..299,403", "--output", output);

        var (exitCode, stdout) = await process.ExitAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains("2 line(s): 2 succeeded, 0 http_error", stdout, StringComparison.Ordinal);
        Assert.All(await File.ReadAllLinesAsync(output), line => Assert.Contains("\"errorType\":null", line, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--accept", "200..299,1000", "  - Pipeline:Http:AcceptStatuses: '200..299,1000' is not valid: '1000' is not")]
    [InlineData("--method", "POST", "  - Pipeline:Http:Method: 'POST' is not valid. Allowed values: Get, Head.")]
    public async Task Main_InvalidRequestOption_ExitsWithTwoNamingTheKey(string option, string value, string line)
    {
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllTextAsync(input, "http://127.0.0.1:9/never\n");
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--input", input, option, value);

        var (exitCode, _) = await process.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(process.Lines, l => l.StartsWith(line, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Main_OutputIsADirectory_ExitsWithTwoBeforeFetching()
    {
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllTextAsync(input, "http://127.0.0.1:9/never\n");
        var output = Directory.CreateDirectory(Path.Combine(_directory, "out")).FullName;
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--input", input, "--output", output);

        var (exitCode, _) = await process.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains($"  - Pipeline:Output: '{output}' is a directory, not a file ({output}).", process.Lines);
    }

    [Fact]
    public async Task Main_OutputFolderMissing_ExitsWithTwoNamingTheFolder()
    {
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllTextAsync(input, "http://127.0.0.1:9/never\n");
        var missing = Path.Combine(_directory, "no-such-folder");
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--input", input, "--output", Path.Combine(missing, "r.jsonl"));

        var (exitCode, _) = await process.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(process.Lines, l => l == $"  - Pipeline:Output: '{Path.Combine(missing, "r.jsonl")}' cannot be created: the folder '{missing}' does not exist.");
    }

    [Fact]
    public async Task Main_StateDirectoryIsAFile_ExitsWithTwo()
    {
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllTextAsync(input, "http://127.0.0.1:9/never\n");
        var state = Path.Combine(_directory, "state");
        await File.WriteAllTextAsync(state, "not a folder");
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--input", input, $"--Pipeline:StateDirectory={state}");

        var (exitCode, _) = await process.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains($"  - Pipeline:StateDirectory: '{state}' is a file, not a folder ({state}).", process.Lines);
    }

    [Fact]
    public async Task Main_InputIsADirectory_SaysSo()
    {
        var folder = Directory.CreateDirectory(Path.Combine(_directory, "urls")).FullName;
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--input", folder);

        var (exitCode, _) = await process.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains($"  - Pipeline:Files:0: '{folder}' is a directory, not a file of URLs ({folder}).", process.Lines);
    }

    [Fact]
    public async Task Main_EmptyInput_WarnsAndExitsZero()
    {
        var input = Path.Combine(_directory, "empty.txt");
        await File.WriteAllTextAsync(input, "");
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--input", input, "--output", Path.Combine(_directory, "r.jsonl"));

        var (exitCode, _) = await process.ExitAsync();

        Assert.Equal(0, exitCode);
        Assert.Contains(process.Lines, l => l.Contains($"The input has no URL lines ({input}): nothing was fetched", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Main_ServiceModeWithCompare_ExitsWithTwo()
    {
        await using var process = WorkerProcess.Start(_directory, NoEnvironment, "--Pipeline:RunMode=Service", "--mode", "Compare");

        var (exitCode, _) = await process.ExitAsync();

        Assert.Equal(2, exitCode);
        Assert.Contains(process.Lines, l => l.Contains("Pipeline:Mode: 'Compare' fetches every URL twice and is for batch runs only", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Main_Health_IsHealthyOnlyWithAFreshHeartbeat()
    {
        var heartbeat = Path.Combine(_directory, "heartbeat");
        var key = $"--Pipeline:Service:HeartbeatFile={heartbeat}";

        await using (var none = WorkerProcess.Start(_directory, NoEnvironment, "--health", key))
        {
            Assert.Equal(1, (await none.ExitAsync()).ExitCode);
            Assert.Equal([$"unhealthy: no heartbeat at {heartbeat}"], none.Lines);
        }

        new HeartbeatFile(heartbeat, TimeProvider.System).Beat();
        await using (var fresh = WorkerProcess.Start(_directory, NoEnvironment, "--health", key))
        {
            Assert.Equal(0, (await fresh.ExitAsync()).ExitCode);
        }

        File.SetLastWriteTimeUtc(heartbeat, DateTime.UtcNow.AddMinutes(-5));
        await using var stale = WorkerProcess.Start(_directory, NoEnvironment, "--health", key);
        Assert.Equal(1, (await stale.ExitAsync()).ExitCode);
        var verdict = Assert.Single(stale.Lines);
        Assert.StartsWith("unhealthy: last heartbeat 3", verdict, StringComparison.Ordinal);
        Assert.EndsWith($" s ago at {heartbeat} (allowed 60 s)", verdict, StringComparison.Ordinal);
    }
}
