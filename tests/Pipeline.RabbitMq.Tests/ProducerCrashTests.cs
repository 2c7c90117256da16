using System.Diagnostics;
using System.Text.Json;
using Pipeline.RabbitMq.Tests.Support;

namespace Pipeline.RabbitMq.Tests;

/// <summary>A real producer process killed or cut off from its broker mid-file: the same command resumes the same batch, and the collector gets one result per line.</summary>
public sealed class ProducerCrashTests : IDisposable
{
    // Small enough for a worker to fetch them all quickly; with a publish window of 1 the producer
    // takes seconds to publish them, so a kill lands mid-file (the exit code proves it did).
    private const int Lines = 2000;
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-producer-crash-").FullName;
    private readonly (string Work, string Results) _queues = Broker.NewQueues();

    private string File => Path.Combine(_directory, "urls.txt");

    private string State => Path.Combine(_directory, "state");

    private string StateFile => Path.Combine(State, "producer", ProducerStateFile.FileName);

    [BrokerFact]
    public async Task Publish_KilledAtRandomPoints_SameCommandResumesTheSameBatch_CollectorHasOneResultPerLine()
    {
        await using var origin = await GateOrigin.StartAsync();
        origin.Open();
        await System.IO.File.WriteAllLinesAsync(File, origin.Urls("/ok", Lines));
        var seed = Environment.TickCount;
        var random = new Random(seed);
        string? batch = null;
        long confirmed = 0;
        for (var kill = 1; kill <= 3; kill++)
        {
            // A random point ahead of the last run: in the broker's queue, or (the second kill) in the
            // producer's own saved count, which shows that the positions are saved while it publishes.
            var at = confirmed + random.Next(50, 500);
            var producer = StartProducer(Broker.Uri);
            if (kill == 2)
            {
                await UntilAsync(async () => System.IO.File.Exists(StateFile) && (await LoadStateAsync()).Published >= at);
            }
            else
            {
                // (Counted through a declare: the first producer may not have declared the queue yet.)
                var queued = await Broker.UntilMessagesAsync(_queues.Work, 0);
                await Broker.UntilMessagesAsync(_queues.Work, (uint)(queued + at - confirmed));
            }

            await RoleHost.SignalAsync(producer.Process, "-KILL");
            var (code, _, error) = await producer.ExitAsync();
            Assert.True(code == 137, $"kill {kill} at {at} (seed {seed}): the producer was to be killed mid-file, it exited {code}: {error}");

            // Whatever the moment, the state on the disk is whole, names the batch of the first run and never goes back.
            var saved = await LoadStateAsync();
            batch ??= saved.Batch;
            Assert.Equal(batch, saved.Batch);
            Assert.True(saved.Published >= confirmed, $"kill {kill} (seed {seed}): {saved.Published} confirmed after {confirmed} before");
            confirmed = saved.Published;
        }

        // The same command again: it publishes exactly the lines after the saved position, and announces the batch.
        var before = await LoadStateAsync();
        Assert.True(before.Published > 0, $"seed {seed}: the positions were saved while publishing");
        var last = await StartProducer(Broker.Uri).ExitAsync();
        Assert.True(last.Code == 0, $"seed {seed}: {last.Out}{last.Error}");
        Assert.Contains($"published {Lines - before.Published} URL(s) to {_queues.Work} as batch {batch} ", last.Out, StringComparison.Ordinal);
        Assert.Contains($"resumed: {Lines} in the batch so far", last.Out, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(StateFile), "the state is cleared once the batch end is confirmed");

        await CollectOneResultPerLineAsync(batch!);
    }

    [BrokerFact]
    public async Task Publish_ConnectionCutMidFile_Exits75WithTheBatchSaved_SameCommandResumesIt_CollectorHasOneResultPerLine()
    {
        await using var origin = await GateOrigin.StartAsync();
        origin.Open();
        await System.IO.File.WriteAllLinesAsync(File, origin.Urls("/ok", Lines));

        // Through a relay of our own, so that the cut drops this producer's connection and no one else's.
        await using var proxy = CuttableProxy.Start(Broker.Uri);
        var at = (uint)Random.Shared.Next(100, 1200);
        var first = StartProducer(proxy.Uri);
        await Broker.UntilMessagesAsync(_queues.Work, at);
        proxy.Cut();
        var (code, output, error) = await first.ExitAsync();
        Assert.True(code == 75, $"cut at {at} messages: expected exit 75 (broker lost), got {code}: {output}{error}");
        Assert.Contains("lost the broker", output, StringComparison.Ordinal);
        var saved = await LoadStateAsync();
        Assert.InRange(saved.Published, 1, Lines - 1);
        Assert.Contains($"as batch {saved.Batch} ", output, StringComparison.Ordinal);

        // The broker is reachable again: the same command carries on with the lines after the saved position.
        var second = await StartProducer(proxy.Uri).ExitAsync();
        Assert.True(second.Code == 0, second.Out + second.Error);
        Assert.Contains($"published {Lines - saved.Published} URL(s) to {_queues.Work} as batch {saved.Batch} ", second.Out, StringComparison.Ordinal);
        Assert.False(System.IO.File.Exists(StateFile));

        await CollectOneResultPerLineAsync(saved.Batch);
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        if (Broker.IsListening)
        {
            Broker.DeleteAsync(_queues.Work, _queues.Results).GetAwaiter().GetResult();
        }
    }

    // Polls what another process writes; the deadline only turns a hang into a failure.
    private static async Task UntilAsync(Func<Task<bool>> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(600));
        while (!await condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }

    // Replaced by rename, so a read sees one whole save or the next.
    private async Task<ProducerState> LoadStateAsync() => ProducerStateFile.Decode(StateFile, await System.IO.File.ReadAllBytesAsync(StateFile));

    // A worker fetches everything queued (lines published twice included), a collector completes the batch from its
    // results, then the worker is stopped. (Not its IdleTimeout: a worker whose fetches all outlast it ends with
    // messages still queued, which a loaded machine made happen.)
    private async Task CollectOneResultPerLineAsync(string batch)
    {
        var output = Path.Combine(_directory, "collected.jsonl");
        var worker = RoleHost.Start("worker", _queues, "--concurrency", "16");
        var collector = RoleHost.Start("collector", _queues, "--output", output);
        var collected = await Task.WhenAny(collector.Exit, worker.Exit, Task.Delay(TimeSpan.FromSeconds(300)));
        if (collected != collector.Exit)
        {
            await collector.StopAsync();
            await worker.StopAsync();
            Assert.Fail($"the collector did not complete batch {batch}: {collector.Out}{collector.Error}; worker: {worker.Out}{worker.Error}");
        }

        Assert.Equal(0, await collector.Exit);
        Assert.Contains(await worker.StopAsync(), new[] { 0, 130 });
        Assert.Contains($"batch {batch}: {Lines} of {Lines} result(s)", collector.Out, StringComparison.Ordinal);
        var lines = (await System.IO.File.ReadAllLinesAsync(output)).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("line").GetInt64());
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => (long)i), lines.Order());
    }

    // The same command every time: the file, the state folder, a publish window of 1 and a checkpoint every 100 ms.
    private Producer StartProducer(string brokerUri) => new(RoleHost.StartProcess(
        "--role", "producer", "--input", File, "--Pipeline:StateDirectory", State,
        "--Pipeline:CheckpointInterval", "00:00:00.100",
        "--Pipeline:RabbitMq:Uri", brokerUri, "--Pipeline:RabbitMq:WorkQueue", _queues.Work, "--Pipeline:RabbitMq:ResultQueue", _queues.Results,
        "--Pipeline:RabbitMq:PublishWindow", "1",
        "--Pipeline:Telemetry:Exporters", "None", "--Pipeline:Telemetry:Report", string.Empty));

    private sealed class Producer(Process process)
    {
        private readonly Task<string[]> _drained = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());

        public Process Process => process;

        public async Task<(int Code, string Out, string Error)> ExitAsync()
        {
            using (process)
            {
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(600));
                var streams = await _drained;
                return (process.ExitCode, streams[0], streams[1]);
            }
        }
    }
}
