using System.Diagnostics;
using System.Text.Json;
using Pipeline.RabbitMq.Tests.Support;

namespace Pipeline.RabbitMq.Tests;

/// <summary>One producer, several workers and a collector, each its own host, on a real RabbitMQ and a local origin.</summary>
public sealed class BrokerPipelineTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-rmq-").FullName;
    private readonly (string Work, string Results) _queues = Broker.NewQueues();

    [BrokerFact]
    public async Task OneProducerAndThreeWorkersGiveEveryLineExactlyOneResult()
    {
        await using var origin = await GateOrigin.StartAsync();

        // Three gate URLs first: held at once only if three workers (one consumer each) share the queue.
        var lines = new List<string>([.. origin.Urls("/gate", 3), .. origin.Urls("/ok", 40), "not a url"]);
        lines.Add(lines[5]);
        var input = await WriteAsync("urls.txt", lines);
        var workers = Enumerable.Range(1, 3)
            .Select(n => RoleHost.Start("worker", _queues, "--mode", "Sequential", "--Pipeline:RabbitMq:WorkerName", $"w{n}"))
            .ToList();
        try
        {
            var producer = RoleHost.Start("producer", _queues, "--input", input);
            Assert.Equal(0, await producer.Exit.WaitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains($"published {lines.Count} URL(s)", producer.Out, StringComparison.Ordinal);

            await origin.WaitingAsync(3).WaitAsync(TimeSpan.FromSeconds(60));
            origin.Open();
            var output = Path.Combine(_directory, "collected.jsonl");
            var collector = RoleHost.Start("collector", _queues, "--output", output);

            // 3: the invalid line is a failure of the batch, reported as such.
            Assert.Equal(3, await collector.Exit.WaitAsync(TimeSpan.FromSeconds(90)));
            Assert.Contains($"of {lines.Count} result(s)", collector.Out, StringComparison.Ordinal);

            var results = await ReadAsync(output);
            Assert.Equal(Enumerable.Range(1, lines.Count).Select(i => (long)i), results.Select(r => r.GetProperty("line").GetInt64()).Order());
            Assert.Equal(["w1", "w2", "w3"], results.Select(r => r.GetProperty("worker").GetString()).Distinct().Order());
            Assert.All(results, r => Assert.False(r.GetProperty("redelivered").GetBoolean()));
            var invalid = Assert.Single(results, r => r.GetProperty("outcome").GetString() == "invalid");
            Assert.Equal(lines.Count - 1, invalid.GetProperty("line").GetInt64());
            var duplicate = Assert.Single(results, r => r.GetProperty("outcome").GetString() == "duplicate");
            Assert.Contains($"{input}:6", duplicate.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal(lines.Count - 2, results.Count(r => r.GetProperty("outcome").GetString() == "succeeded"));
            Assert.Equal(0u, await Broker.MessageCountAsync(_queues.Work));
        }
        finally
        {
            foreach (var worker in workers)
            {
                Assert.Equal(0, await worker.StopAsync());

                // Sequential applies per worker: one fetch at a time in each.
                Assert.Contains("Sequential run, 1 consumer", worker.Out, StringComparison.Ordinal);
                Assert.Contains("in flight      peak 1 ", worker.Out, StringComparison.Ordinal);
            }
        }
    }

    [BrokerFact]
    public async Task AWorkerKilledMidRunLosesNothing()
    {
        await using var origin = await GateOrigin.StartAsync();
        var input = await WriteAsync("urls.txt", origin.Urls("/gate", 12));
        await ProduceAsync(input);

        // A real process holds four URLs in flight (prefetch = its four consumers), then dies without a word.
        using var doomed = RoleHost.StartProcess(
            "--role", "worker", "--concurrency", "4", "--mode", "Concurrent",
            "--Pipeline:RabbitMq:Uri", Broker.Uri, "--Pipeline:RabbitMq:WorkQueue", _queues.Work, "--Pipeline:RabbitMq:ResultQueue", _queues.Results,
            "--Pipeline:Telemetry:Exporters", "None", "--Pipeline:Telemetry:Report", string.Empty);
        var drained = Task.WhenAll(doomed.StandardOutput.ReadToEndAsync(), doomed.StandardError.ReadToEndAsync());
        await origin.WaitingAsync(4).WaitAsync(TimeSpan.FromSeconds(60));
        await RoleHost.SignalAsync(doomed, "-KILL");
        await doomed.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await drained;
        Assert.Equal(137, doomed.ExitCode);

        origin.Open();
        var survivor = RoleHost.Start("worker", _queues, "--concurrency", "4", "--Pipeline:RabbitMq:WorkerName", "survivor");
        try
        {
            var output = Path.Combine(_directory, "collected.jsonl");
            var collector = RoleHost.Start("collector", _queues, "--output", output);
            Assert.Equal(0, await collector.Exit.WaitAsync(TimeSpan.FromSeconds(90)));

            var results = await ReadAsync(output);
            Assert.Equal(Enumerable.Range(1, 12).Select(i => (long)i), results.Select(r => r.GetProperty("line").GetInt64()).Order());
            Assert.All(results, r => Assert.Equal("succeeded", r.GetProperty("outcome").GetString()));
            Assert.All(results, r => Assert.Equal("survivor", r.GetProperty("worker").GetString()));

            // Exactly the four the dead worker held come back marked, so they can be told apart.
            Assert.Equal(4, results.Count(r => r.GetProperty("redelivered").GetBoolean()));
        }
        finally
        {
            Assert.Equal(0, await survivor.StopAsync());
        }
    }

    [BrokerFact]
    public async Task AWorkerThatLosesTheBrokerExitsAndItsUrlsAreRedelivered()
    {
        await using var origin = await GateOrigin.StartAsync();
        var input = await WriteAsync("urls.txt", origin.Urls("/gate", 10));
        await ProduceAsync(input);

        var name = $"cut-{Guid.NewGuid():n}";
        var cut = RoleHost.Start("worker", _queues, "--concurrency", "2", "--Pipeline:RabbitMq:WorkerName", name);
        await origin.WaitingAsync(2).WaitAsync(TimeSpan.FromSeconds(60));
        await Broker.CloseConnectionAsync($"pipeline worker {name}");
        origin.Open();
        Assert.Equal(1, await cut.Exit.WaitAsync(TimeSpan.FromSeconds(60)));

        var survivor = RoleHost.Start("worker", _queues, "--concurrency", "2", "--Pipeline:RabbitMq:WorkerName", "survivor");
        try
        {
            var output = Path.Combine(_directory, "collected.jsonl");
            var collector = RoleHost.Start("collector", _queues, "--output", output);
            Assert.Equal(0, await collector.Exit.WaitAsync(TimeSpan.FromSeconds(90)));
            var results = await ReadAsync(output);
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), results.Select(r => r.GetProperty("line").GetInt64()).Order());
            Assert.All(results, r => Assert.Equal("survivor", r.GetProperty("worker").GetString()));
            Assert.Equal(2, results.Count(r => r.GetProperty("redelivered").GetBoolean()));
        }
        finally
        {
            Assert.Equal(0, await survivor.StopAsync());
        }
    }

    [BrokerFact]
    public async Task AStoppedCollectorIsFollowedByOneThatFinishesTheBatch_FromTheLedgerInItsStateFolder()
    {
        await using var origin = await GateOrigin.StartAsync();
        origin.Open();
        var input = await WriteAsync("urls.txt", origin.Urls("/ok", 6));
        await ProduceAsync(input);

        // The worker drains the queue and leaves: six results and the announcement wait for a collector.
        var worker = RoleHost.Start("worker", _queues, "--concurrency", "2", "--Pipeline:RabbitMq:IdleTimeout", "00:00:02");
        Assert.Equal(0, await worker.Exit.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(7u, await Broker.MessageCountAsync(_queues.Results));

        // Stopped wherever it got to (all, some or none of the results): nothing may be lost.
        var output = Path.Combine(_directory, "collected.jsonl");
        var state = Path.Combine(_directory, "state");
        var first = RoleHost.Start("collector", _queues, "--output", output, "--Pipeline:StateDirectory", state);
        await Task.WhenAny(first.Exit, Broker.ConsumersAsync(_queues.Results, 1));
        var firstExit = await first.StopAsync();
        if (firstExit != 0)
        {
            var second = RoleHost.Start("collector", _queues, "--output", output, "--Pipeline:StateDirectory", state);
            Assert.Equal(0, await second.Exit.WaitAsync(TimeSpan.FromSeconds(60)));
        }

        var results = await ReadAsync(output);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (long)i), results.Select(r => r.GetProperty("line").GetInt64()).Order());
        Assert.Equal(0u, await Broker.MessageCountAsync(_queues.Results));
    }

    [BrokerFact]
    public async Task ASecondCollectorOnTheSameQueueIsRefused()
    {
        var first = RoleHost.Start("collector", _queues, "--output", Path.Combine(_directory, "a.jsonl"));
        await Broker.ConsumersAsync(_queues.Results, 1);
        var second = RoleHost.Start("collector", _queues, "--output", Path.Combine(_directory, "b.jsonl"));
        Assert.Equal(1, await second.Exit.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(130, await first.StopAsync());
    }

    [BrokerFact]
    public async Task AStoppedWorkerReturnsWhatItHeldToTheQueue()
    {
        await using var origin = await GateOrigin.StartAsync();
        var input = await WriteAsync("urls.txt", origin.Urls("/gate", 10));
        await ProduceAsync(input);

        var worker = RoleHost.Start("worker", _queues, "--concurrency", "4", "--Pipeline:ShutdownGrace", "00:00:00");
        await origin.WaitingAsync(4).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, await worker.StopAsync());

        // The four cancelled in flight went back with the six never started, and no result was published.
        Assert.Equal(10u, await Broker.MessageCountAsync(_queues.Work));
        Assert.Equal(1u, await Broker.MessageCountAsync(_queues.Results));
        Assert.Contains("4 cancelled", worker.Out, StringComparison.Ordinal);
    }

    [BrokerFact]
    public async Task TheTraceJoinsThePublishAndTheFetchOfEachUrl()
    {
        await using var origin = await GateOrigin.StartAsync();
        origin.Open();
        var input = await WriteAsync($"traced-{Guid.NewGuid():n}.txt", origin.Urls("/ok", 5));
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == Telemetry.PipelineTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.GetTagItem("pipeline.source") as string == input || activity.OperationName == Telemetry.PipelineTelemetry.PublishRunSpanName)
                {
                    lock (spans)
                    {
                        spans.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await ProduceAsync(input);
        var worker = RoleHost.Start("worker", _queues, "--concurrency", "2");
        var collector = RoleHost.Start("collector", _queues, "--output", Path.Combine(_directory, "collected.jsonl"));
        Assert.Equal(0, await collector.Exit.WaitAsync(TimeSpan.FromSeconds(90)));
        Assert.Equal(0, await worker.StopAsync());

        List<Activity> captured;
        lock (spans)
        {
            captured = [.. spans];
        }

        var publishes = captured.Where(s => s.OperationName == Telemetry.PipelineTelemetry.PublishSpanName).ToList();
        var fetches = captured.Where(s => s.OperationName == Telemetry.PipelineTelemetry.FetchSpanName).ToList();
        Assert.Equal(5, publishes.Count);
        Assert.Equal(5, fetches.Count);
        var root = Assert.Single(captured, s => s.OperationName == Telemetry.PipelineTelemetry.PublishRunSpanName && publishes[0].TraceId == s.TraceId);
        foreach (var fetch in fetches)
        {
            var publish = Assert.Single(publishes, p => p.SpanId == fetch.ParentSpanId);
            Assert.Equal(root.TraceId, fetch.TraceId);
            Assert.Equal(publish.GetTagItem("pipeline.line"), fetch.GetTagItem("pipeline.line"));
            Assert.Equal(ActivityKind.Consumer, fetch.Kind);

            // The worker's own run span stays reachable through the link.
            Assert.Single(fetch.Links);
        }
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        if (Broker.IsListening)
        {
            Broker.DeleteAsync(_queues.Work, _queues.Results).GetAwaiter().GetResult();
        }
    }

    private static async Task<List<JsonElement>> ReadAsync(string path)
        => [.. (await File.ReadAllLinesAsync(path)).Select(line => JsonDocument.Parse(line).RootElement)];

    private async Task ProduceAsync(string input)
    {
        var producer = RoleHost.Start("producer", _queues, "--input", input);
        Assert.Equal(0, await producer.Exit.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    private async Task<string> WriteAsync(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_directory, name);
        await File.WriteAllLinesAsync(path, lines);
        return path;
    }
}
