using System.Text.Json;
using Pipeline.RabbitMq.Tests.Support;

namespace Pipeline.RabbitMq.Tests;

/// <summary>A collector killed or stopped at any point is followed by one that finishes the batch into the same file, one result per line.</summary>
public sealed class CollectorCrashTests : IDisposable
{
    private const string Source = "urls.txt";
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-rmq-crash-").FullName;
    private readonly (string Work, string Results) _queues = Broker.NewQueues();

    private string Output => Path.Combine(_directory, "collected.jsonl");

    private string State => Path.Combine(_directory, "state");

    private string Ledger => Path.Combine(State, "collector", "ledger.json");

    [BrokerFact]
    public async Task Collect_KilledBeforeDuringAndAfterTheBatchEnd_NextCollectorFinishesWithOneResultPerLine()
    {
        const int Lines = 4000;
        await using var feed = await ResultFeed.OpenAsync(_queues);

        // 1. Killed while it waits for anything at all.
        await KillAsync(() => Broker.ConsumersAsync(_queues.Results, 1));

        // 2. Killed mid-batch, before the announcement: some results are in the file.
        await feed.ResultsAsync("b1", Source, Enumerable.Range(1, 2000).Select(i => (long)i));
        await KillAsync(() => UntilAsync(() => File.Exists(Output) && new FileInfo(Output).Length > 0));

        // 3. Killed after the announcement was consumed (the case no collector could finish before),
        // with the batch still short of its last lines and repeats of lines already written on the way.
        await feed.BatchEndAsync("b1", Lines);
        await feed.ResultsAsync("b1", Source, Enumerable.Range(1, 100).Select(i => (long)i), redelivered: true);
        await feed.ResultsAsync("b1", Source, Enumerable.Range(2001, Lines - 2010).Select(i => (long)i));
        await KillAsync(() => UntilAsync(() => File.Exists(Ledger) && File.ReadAllText(Ledger).Contains($"\"expected\":{Lines}", StringComparison.Ordinal)));

        // 4. The rest arrives, more repeats with it; a new collector on the same state folder completes the batch.
        // (The repeats first: a collector ends at the batch's last result and would leave later ones queued.)
        await feed.ResultsAsync("b1", Source, Enumerable.Range(1990, 30).Select(i => (long)i), redelivered: true);
        await feed.ResultsAsync("b1", Source, Enumerable.Range(Lines - 9, 10).Select(i => (long)i));
        var last = RoleHost.Start("collector", _queues, "--output", Output, "--Pipeline:StateDirectory", State);
        Assert.Equal(0, await last.Exit.WaitAsync(TimeSpan.FromSeconds(120)));
        Assert.Contains($"batch b1: {Lines} of {Lines} result(s)", last.Out, StringComparison.Ordinal);

        var lines = await LinesAsync();
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => (long)i), lines.Order());
        Assert.Equal(0u, await Broker.MessageCountAsync(_queues.Results));
    }

    [BrokerFact]
    public async Task Collect_DuplicateAfterRestart_IsDroppedNotCounted()
    {
        await using var feed = await ResultFeed.OpenAsync(_queues);
        await feed.BatchEndAsync("b2", 12);
        await feed.ResultsAsync("b2", Source, Enumerable.Range(1, 10).Select(i => (long)i));

        var first = RoleHost.Start("collector", _queues, "--output", Output, "--Pipeline:StateDirectory", State);
        await UntilAsync(() => File.Exists(Ledger) && File.ReadAllText(Ledger).Contains("\"received\":10", StringComparison.Ordinal));
        Assert.Equal(130, await first.StopAsync());

        // A worker that died after publishing line 3 but before acking it: its URL was fetched again.
        await feed.ResultsAsync("b2", Source, [3], redelivered: true);
        await feed.ResultsAsync("b2", Source, [11, 12]);
        var second = RoleHost.Start("collector", _queues, "--output", Output, "--Pipeline:StateDirectory", State);
        Assert.Equal(0, await second.Exit.WaitAsync(TimeSpan.FromSeconds(60)));

        Assert.Contains("1 repeat(s) dropped", second.Out, StringComparison.Ordinal);
        Assert.Contains("batch b2: 12 of 12 result(s)", second.Out, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), (await LinesAsync()).Order());
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        if (Broker.IsListening)
        {
            Broker.DeleteAsync(_queues.Work, _queues.Results).GetAwaiter().GetResult();
        }
    }

    // Polls a condition on files another process writes; the deadline only turns a hang into a failure.
    private static async Task UntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (!condition())
        {
            await Task.Delay(20, deadline.Token);
        }
    }

    private async Task<List<long>> LinesAsync()
        => [.. (await File.ReadAllLinesAsync(Output)).Select(line => JsonDocument.Parse(line).RootElement.GetProperty("line").GetInt64())];

    // A real collector process, killed with SIGKILL once the condition holds: no stop, no flush, no goodbye.
    private async Task KillAsync(Func<Task> when)
    {
        using var collector = RoleHost.StartProcess(
            "--role", "collector", "--output", Output, "--Pipeline:StateDirectory", State,
            "--Pipeline:RabbitMq:Uri", Broker.Uri, "--Pipeline:RabbitMq:WorkQueue", _queues.Work, "--Pipeline:RabbitMq:ResultQueue", _queues.Results,
            "--Pipeline:Telemetry:Exporters", "None", "--Pipeline:Telemetry:Report", string.Empty);
        var drained = Task.WhenAll(collector.StandardOutput.ReadToEndAsync(), collector.StandardError.ReadToEndAsync());
        await when();
        await RoleHost.SignalAsync(collector, "-KILL");
        await collector.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var (_, error) = ((await drained)[0], (await drained)[1]);
        Assert.True(collector.ExitCode == 137, $"the collector was to be killed, it exited {collector.ExitCode}: {error}");
    }
}
