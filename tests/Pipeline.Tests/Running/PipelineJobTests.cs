using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Running;

public sealed class PipelineJobTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-job-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task RunAsync_StoppedThenStartedAgain_EndsWithOneFinalRecordPerLine()
    {
        const int Lines = 50;
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, ["# fifty URLs", .. Enumerable.Range(1, Lines).Select(i => $"http://127.0.0.1:9/{i}")]);
        var options = new PipelineOptions
        {
            Mode = PipelineMode.Concurrent,
            Concurrency = 2,
            ChannelCapacity = 3,
            ShutdownGrace = TimeSpan.Zero,
            Output = Path.Combine(_directory, "results.jsonl"),
            StateDirectory = Path.Combine(_directory, "state"),
        };
        options.Files.Add(input);

        // Run 1: lines 2-11 (URLs 1-10) succeed at once, later ones hang until the run is stopped.
        // Stop when the producer waits with URL 16 and the fetches of lines 12 and 13 have started:
        // two fetches hang, three wait in the channel. (An idle consumer is handed its item by the
        // write, so the producer can block before the consumers have started their fetches.)
        var hanging = new ScriptedFetcher(item => item.Line <= 11);
        using var stop = new CancellationTokenSource();
        var awaited = 3;
        void Reached()
        {
            if (Interlocked.Decrement(ref awaited) == 0)
            {
                stop.Cancel();
            }
        }

        var observer = new CallbackObserver
        {
            ProducerBlocked = item => { if (item.Line == 17) { Reached(); } },
            FetchStarted = (item, _) => { if (item.Line is 12 or 13) { Reached(); } },
        };
        var first = await Job(hanging, options).RunAsync([new TextFileUrlSource(input)], observer, stop.Token).Guarded();

        Assert.True(first.Interrupted);
        var run1 = first.Runs.Single();
        Assert.Equal(10, run1.Succeeded);
        Assert.Equal(2, run1.Cancelled);
        Assert.Equal(4, run1.Pending);
        Assert.Equal(6, first.SavedPending);
        Assert.Equal([12L, 13, 14, 15, 16, 17], (await ReadPendingLines(options)).Order());

        // Pending and cancelled lines live in the state only: the results file holds final outcomes.
        Assert.Equal(10, (await File.ReadAllLinesAsync(options.Output)).Length);

        // fetched + failed + pending (saved) + lines after the checkpoint = every input line.
        Assert.Equal(Lines, run1.Succeeded + first.SavedPending + (Lines + 1 - 17));

        // Run 2: everything succeeds. It takes the six pending URLs first, then lines 18 to 51.
        var second = await Job(new ScriptedFetcher(_ => true), options).RunAsync([new TextFileUrlSource(input)], null, CancellationToken.None).Guarded();

        Assert.True(second.Resumed);
        Assert.False(second.Interrupted);
        Assert.Equal(6 + (Lines + 1 - 17), second.Runs.Single().Succeeded);
        var records = await File.ReadAllLinesAsync(options.Output);
        Assert.All(records, l => Assert.Contains("\"outcome\":\"succeeded\"", l, StringComparison.Ordinal));
        var succeeded = records
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("line").GetInt64())
            .ToList();
        Assert.Equal(Enumerable.Range(2, Lines).Select(i => (long)i), succeeded.Order());
        Assert.Equal(["lock", "lock.owner"], Directory.EnumerateFiles(options.StateDirectory).Select(Path.GetFileName).Order());
    }

    [Fact]
    public async Task RunAsync_SourceEditedWhileStopped_ReadsItFromTheStart()
    {
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, [.. Enumerable.Range(1, 20).Select(i => $"http://127.0.0.1:9/{i}")]);
        var options = new PipelineOptions { Mode = PipelineMode.Sequential, ChannelCapacity = 1, ShutdownGrace = TimeSpan.Zero, Output = Path.Combine(_directory, "r.jsonl"), StateDirectory = Path.Combine(_directory, "state") };
        options.Files.Add(input);
        using var stop = new CancellationTokenSource();
        var observer = new CallbackObserver { ProducerBlocked = item => { if (item.Line == 5) { stop.Cancel(); } } };
        await Job(new ScriptedFetcher(item => item.Line <= 2), options).RunAsync([new TextFileUrlSource(input)], observer, stop.Token).Guarded();
        await File.AppendAllLinesAsync(input, ["http://127.0.0.1:9/21"]);

        var second = await Job(new ScriptedFetcher(_ => true), options).RunAsync([new TextFileUrlSource(input)], null, CancellationToken.None).Guarded();

        // The three pending URLs (lines 3-5), then all 21 lines again: the checkpoint no longer
        // describes the file.
        Assert.True(second.Resumed);
        Assert.Equal(3 + 21, second.Runs.Single().Total);
    }

    [Fact]
    public async Task RunAsync_RepeatedUrls_FetchesEachOnceAndNamesTheFirstLine()
    {
        var input = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(input, ["http://127.0.0.1:9/a", "http://127.0.0.1:9/b", "HTTP://127.0.0.1:9/a", "http://127.0.0.1:9/b"]);
        var options = new PipelineOptions { Mode = PipelineMode.Sequential, Output = Path.Combine(_directory, "r.jsonl"), StateDirectory = Path.Combine(_directory, "state") };
        var fetcher = new ScriptedFetcher(_ => true);

        var report = await Job(fetcher, options).RunAsync([new TextFileUrlSource(input)], null, CancellationToken.None).Guarded();

        var run = report.Runs.Single();
        Assert.Equal(2, run.Succeeded);
        Assert.Equal(2, run.Duplicates);
        Assert.False(run.HasFailures);
        Assert.Equal(2, fetcher.Fetched);
        var lines = await File.ReadAllLinesAsync(options.Output);
        Assert.Contains(lines, l => l.Contains($"\"error\":\"duplicate of {input.Replace("\\", "\\\\", StringComparison.Ordinal)}:1: fetched once\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_RepeatedUrlsWithFetchPolicy_FetchesEveryLine()
    {
        var options = new PipelineOptions { Mode = PipelineMode.Sequential, Duplicates = DuplicatePolicy.Fetch, Output = Path.Combine(_directory, "r.jsonl"), StateDirectory = Path.Combine(_directory, "state") };
        var fetcher = new ScriptedFetcher(_ => true);

        var report = await Job(fetcher, options).RunAsync([new ListUrlSource("settings", ["http://127.0.0.1:9/a", "http://127.0.0.1:9/a"])], null, CancellationToken.None).Guarded();

        Assert.Equal(2, report.Runs.Single().Succeeded);
        Assert.Equal(2, fetcher.Fetched);
    }

    private static PipelineJob Job(IUrlFetcher fetcher, PipelineOptions options) => JobHarness.Job(fetcher, options);

    private static async Task<List<long>> ReadPendingLines(PipelineOptions options)
        => [.. (await File.ReadAllLinesAsync(Path.Combine(options.StateDirectory, "pending.jsonl"))).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("line").GetInt64())];
}
