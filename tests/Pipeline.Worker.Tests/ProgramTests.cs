using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

using Pipeline.Worker.Tests.Support;

namespace Pipeline.Worker.Tests;

/// <summary>Runs the real worker binary as a separate process, as a user or a service manager would.</summary>
public sealed class ProgramTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-program-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Main_InvalidMode_ExitsWithTwoAndSaysWhy()
    {
        using var process = WorkerProcess.Start("--Pipeline:Mode=Parallel");

        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Pipeline:Mode: 'Parallel' is not valid. Allowed values: Sequential, Concurrent, Compare.", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_ScriptedCommandLine_FetchesTheFileAndPrintsOneSummaryLine()
    {
        await using var origin = await Pipeline.DemoOrigin.DemoOriginServer.StartAsync();
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, origin.DelayUrls(5, TimeSpan.Zero));
        var output = Path.Combine(_directory, "out.jsonl");
        using var process = WorkerProcess.Start("--input", input, "--mode", "Concurrent", "--concurrency", "3", "--output", output);

        var stdout = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(0, process.ExitCode);
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("concurrent run, 3 consumers, 5 line(s): 5 succeeded, 0 http_error, 0 failed, 0 invalid, 0 duplicate, 0 cancelled, 0 pending; 5 fetches in ", line, StringComparison.Ordinal);
        Assert.Equal(5, (await ReadResultsAsync(output)).Count(r => r.GetProperty("consumer").GetInt32() < 3));
    }

    [Fact]
    public async Task Main_WithNotifySocket_TellsSystemdReadyThenStopping()
    {
        var socketPath = Path.Combine(_directory, "notify.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        using var process = WorkerProcess.Start(
            new Dictionary<string, string> { ["NOTIFY_SOCKET"] = socketPath },
            "--Pipeline:Demo:Mode=Concurrent",
            "--Pipeline:Demo:UrlCount=3",
            "--Pipeline:Demo:Latency=00:00:00",
            $"--Pipeline:Output={Path.Combine(_directory, "r.jsonl")}");
        var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());

        var messages = new List<string>();
        var buffer = new byte[4096];
        while (!messages.Any(m => m.Contains("STOPPING=1", StringComparison.Ordinal)))
        {
            var received = await systemd.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(60));
            messages.Add(System.Text.Encoding.UTF8.GetString(buffer, 0, received));
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await drain;
        Assert.Equal(0, process.ExitCode);
        Assert.StartsWith("READY=1", messages[0], StringComparison.Ordinal);
        Assert.Contains("STOPPING=1", messages[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Main_SigtermMidRunWithoutGrace_ExitsWith130AndAccountsForEveryUrl()
    {
        var output = Path.Combine(_directory, "results.jsonl");
        using var process = WorkerProcess.Start(
            "--Pipeline:Demo:Mode=Concurrent",
            "--Pipeline:Concurrency=4",
            "--Pipeline:Demo:UrlCount=10",
            "--Pipeline:Demo:Latency=00:01:00",
            "--Pipeline:ProgressInterval=00:00:00.100",
            "--Pipeline:ShutdownGrace=00:00:00",
            $"--Pipeline:Output={output}");

        var (exitCode, stdout) = await TerminateWhenAllReadAsync(process);

        Assert.Equal(130, exitCode);
        Assert.Contains("interrupted", stdout, StringComparison.Ordinal);
        var records = await ReadResultsAsync(output);
        Assert.Equal(Enumerable.Range(1, 10), records.Select(r => r.GetProperty("line").GetInt32()).Order());
        Assert.Equal(4, records.Count(r => r.GetProperty("outcome").GetString() == "cancelled"));
        Assert.Equal(6, records.Count(r => r.GetProperty("outcome").GetString() == "pending"));
    }

    [Fact]
    public async Task Main_SigtermThenRestart_FetchesEveryLineExactlyOnce()
    {
        // /slow/{id} hangs until the client gives up while the test says so (run 1, stopped while
        // two of them hang) and answers at once afterwards (run 2, which must finish the job).
        using var hang = new CancellationTokenSource();
        await using var origin = await Pipeline.DemoOrigin.DemoOriginServer.StartAsync(0, endpoints =>
            endpoints.MapGet("/slow/{id}", async context =>
            {
                if (!hang.IsCancellationRequested)
                {
                    using var either = CancellationTokenSource.CreateLinkedTokenSource(hang.Token, context.RequestAborted);
                    await Task.Delay(Timeout.Infinite, either.Token).ContinueWith(_ => { }, TaskScheduler.Default);
                    context.RequestAborted.ThrowIfCancellationRequested();
                }

                await context.Response.WriteAsync("ok\n", context.RequestAborted);
            }));
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, [.. origin.DelayUrls(10, TimeSpan.Zero), .. Enumerable.Range(1, 20).Select(i => new Uri(origin.BaseAddress, $"slow/{i}").ToString())]);
        var output = Path.Combine(_directory, "results.jsonl");
        string[] args =
        [
            "--input", input, "--mode", "Concurrent", "--concurrency", "2", "--output", output,
            "--Pipeline:ChannelCapacity=3", "--Pipeline:ShutdownGrace=00:00:00", "--Pipeline:ProgressInterval=00:00:00.100",
            $"--Pipeline:StateDirectory={Path.Combine(_directory, "state")}",
        ];

        using (var first = WorkerProcess.Start(args))
        {
            var (exitCode, _) = await TerminateWhenAsync(first, ": 10 done, 2 in flight, 3 queued");
            Assert.Equal(130, exitCode);
        }

        await hang.CancelAsync();
        var afterFirst = await ReadResultsAsync(output);
        Assert.Equal(10, afterFirst.Count(r => r.GetProperty("outcome").GetString() == "succeeded"));
        Assert.Equal(30 - 10, await CountPendingAndUnreadAsync(afterFirst, input));

        using (var second = WorkerProcess.Start(args))
        {
            await Task.WhenAll(second.StandardOutput.ReadToEndAsync(), second.StandardError.ReadToEndAsync()).WaitAsync(TimeSpan.FromSeconds(60));
            await second.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal(0, second.ExitCode);
        }

        var records = await ReadResultsAsync(output);
        Assert.All(records, r => Assert.Equal("succeeded", r.GetProperty("outcome").GetString()));
        Assert.Equal(Enumerable.Range(1, 30), records.Select(r => r.GetProperty("line").GetInt32()).Order());
        Assert.False(File.Exists(Path.Combine(_directory, "state", "pending.jsonl")));
    }

    // Pending URLs saved by a stopped run plus the lines after its checkpoint: what run 2 owes.
    private async Task<int> CountPendingAndUnreadAsync(List<JsonElement> results, string input)
    {
        var (batch, pending) = (await new Pipeline.State.RunStateStore(Path.Combine(_directory, "state")).LoadAsync(CancellationToken.None))!.Value;
        var lastLine = (int)batch.Checkpoints.Single(c => c.Source == input).LastLine;

        // Unsettled lines live in the state only: the results file holds final outcomes.
        Assert.DoesNotContain(results, r => r.GetProperty("outcome").GetString() is "pending" or "cancelled");
        return pending.Count + (30 - lastLine);
    }

    [Fact]
    public async Task Main_SigtermWithinGrace_LetsFetchesInFlightFinish()
    {
        var output = Path.Combine(_directory, "results.jsonl");
        using var process = WorkerProcess.Start(
            "--Pipeline:Demo:Mode=Concurrent",
            "--Pipeline:Concurrency=4",
            "--Pipeline:Demo:UrlCount=10",
            "--Pipeline:Demo:Latency=00:00:02",
            "--Pipeline:ProgressInterval=00:00:00.100",
            "--Pipeline:ShutdownGrace=00:01:00",
            $"--Pipeline:Output={output}");

        var (exitCode, _) = await TerminateWhenAllReadAsync(process);

        Assert.Equal(130, exitCode);
        var records = await ReadResultsAsync(output);
        Assert.Equal(4, records.Count(r => r.GetProperty("outcome").GetString() == "succeeded"));
        Assert.Equal(6, records.Count(r => r.GetProperty("outcome").GetString() == "pending"));
    }

    // Sends SIGTERM once progress shows every URL read (four in flight, six queued), then waits
    // for the exit.
    private static Task<(int ExitCode, string Stdout)> TerminateWhenAllReadAsync(Process process)
        => TerminateWhenAsync(process, "4 in flight, 6 queued");

    private static async Task<(int ExitCode, string Stdout)> TerminateWhenAsync(Process process, string progress)
    {
        var stdout = process.StandardOutput.ReadToEndAsync();
        var seen = new List<string>();
        try
        {
            while (await process.StandardError.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)) is { } line)
            {
                seen.Add(line);
                if (line.Contains(progress, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"No progress line with '{progress}'; the last lines were:\n{string.Join('\n', seen.TakeLast(8))}");
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        // Keep draining stderr so the child never blocks on a full pipe while it stops.
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        await stderr;
        return (process.ExitCode, await stdout);
    }

    private static async Task<List<JsonElement>> ReadResultsAsync(string path)
        => [.. (await File.ReadAllLinesAsync(path)).Select(l => JsonDocument.Parse(l).RootElement)];
}
