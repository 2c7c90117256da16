using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Pipeline.RabbitMq.Tests.Support;
using Pipeline.Sources;

namespace Pipeline.RabbitMq.Tests;

/// <summary>The producer on its own: a stopped run saves exactly what the broker confirmed, and the next run publishes the rest under the same batch.</summary>
public sealed class UrlPublisherTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-producer-").FullName;
    private readonly (string Work, string Results) _queues = Broker.NewQueues();

    [BrokerFact]
    public async Task AStoppedProducerResumesAfterTheLastConfirmedLine_UnderTheSameBatch()
    {
        var file = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 30).Select(i => $"http://127.0.0.1:9/ok?i={i}"));
        var state = Path.Combine(_directory, "state");
        var publisher = new UrlPublisher(
            Options.Create(new RabbitMqOptions { Uri = Broker.Uri, WorkQueue = _queues.Work, ResultQueue = _queues.Results, PublishWindow = 4 }),
            TimeProvider.System,
            NullLogger<UrlPublisher>.Instance);

        using var stop = new CancellationTokenSource();
        var source = new StoppingSource(new TextFileUrlSource(file), stopAfterLine: 12, stop);
        var first = await publisher.PublishAsync([source], DuplicatePolicy.Skip, state, TimeSpan.FromSeconds(5), stop.Token);
        Assert.True(first.Interrupted);
        Assert.Equal(12, first.Published);
        Assert.Equal($"{file}:12", first.LastPosition);

        var second = await publisher.PublishAsync([new TextFileUrlSource(file)], DuplicatePolicy.Skip, state, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.False(second.Interrupted);
        Assert.True(second.Resumed);
        Assert.Equal(first.Batch, second.Batch);
        Assert.Equal(18, second.Published);
        Assert.Equal(30, second.Total);

        // The queue holds every line exactly once, under one batch, and the batch end announces all 30.
        var ids = await DrainAsync(_queues.Work, 30);
        Assert.Equal(Enumerable.Range(1, 30).Select(i => $"{first.Batch}/{file}:{i}").Order(), ids.Order());
        var end = Assert.Single(await DrainAsync(_queues.Results, 1));
        Assert.Equal($"{first.Batch}/end", end);
        Assert.DoesNotContain(Directory.EnumerateFiles(state), f => f.EndsWith("producer.json", StringComparison.Ordinal));
    }

    [BrokerFact]
    public async Task PublishAsync_BrokerDropsTheConnectionMidFile_SavesTheBatchAndTheRerunResumesIt_TheCollectorCompletesIt()
    {
        await using var origin = await GateOrigin.StartAsync();
        origin.Open();
        const int Lines = 40;
        var file = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(file, origin.Urls("/ok", Lines));
        var state = Path.Combine(_directory, "state");
        var name = $"cut-{Guid.NewGuid():n}";
        var publisher = new UrlPublisher(
            Options.Create(new RabbitMqOptions { Uri = Broker.Uri, WorkQueue = _queues.Work, ResultQueue = _queues.Results, PublishWindow = 4, WorkerName = name }),
            TimeProvider.System,
            NullLogger<UrlPublisher>.Instance);

        // The broker closes the producer's connection while it is at line 12, as a broker restart would.
        var cut = new CuttingSource(new TextFileUrlSource(file), cutAtLine: 12, () => Broker.CloseConnectionAsync($"pipeline producer {name}"));
        var first = await publisher.PublishAsync([cut], DuplicatePolicy.Skip, state, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.True(first.Interrupted);
        Assert.NotNull(first.BrokerFailure);
        Assert.InRange(first.Published, 1, Lines - 1);
        Assert.Contains(Directory.EnumerateFiles(state), f => f.EndsWith("producer.json", StringComparison.Ordinal));

        var second = await publisher.PublishAsync([new TextFileUrlSource(file)], DuplicatePolicy.Skip, state, TimeSpan.FromSeconds(5), CancellationToken.None);
        Assert.False(second.Interrupted);
        Assert.Null(second.BrokerFailure);
        Assert.True(second.Resumed);
        Assert.Equal(first.Batch, second.Batch);
        Assert.Equal(Lines, second.Total);
        Assert.DoesNotContain(Directory.EnumerateFiles(state), f => f.EndsWith("producer.json", StringComparison.Ordinal));

        // A message the broker took but could not confirm before the cut is in the queue twice; the collector keeps one.
        var worker = RoleHost.Start("worker", _queues, "--concurrency", "4", "--Pipeline:RabbitMq:IdleTimeout", "00:00:03");
        Assert.Equal(0, await worker.Exit.WaitAsync(TimeSpan.FromSeconds(90)));
        var output = Path.Combine(_directory, "collected.jsonl");
        var collector = RoleHost.Start("collector", _queues, "--output", output);
        Assert.Equal(0, await collector.Exit.WaitAsync(TimeSpan.FromSeconds(90)));
        Assert.Contains($"batch {first.Batch}: {Lines} of {Lines} result(s)", collector.Out, StringComparison.Ordinal);
        var lines = (await File.ReadAllLinesAsync(output)).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.GetProperty("line").GetInt64());
        Assert.Equal(Enumerable.Range(1, Lines).Select(i => (long)i), lines.Order());
    }

    [BrokerFact]
    public async Task PublishAsync_StateSavedAsDone_AnnouncesTheBatchAgainAndPublishesNothing()
    {
        // What a producer killed between its last save and clearing the state leaves: every source done.
        var file = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 5).Select(i => $"http://127.0.0.1:9/ok?i={i}"));
        var state = Path.Combine(_directory, "state");
        var source = new TextFileUrlSource(file);
        await ProducerStateFile.SaveAsync(state, new ProducerState("done1", 5, [new Pipeline.State.Checkpoint(file, source.Fingerprint, 5, 5, true)]), CancellationToken.None);

        var run = await Publisher(4).PublishAsync([source], DuplicatePolicy.Skip, state, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(("done1", 0L, 5L, false), (run.Batch, run.Published, run.Total, run.Interrupted));
        Assert.Equal(0u, await Broker.MessageCountAsync(_queues.Work));
        Assert.Equal("done1/end", Assert.Single(await DrainAsync(_queues.Results, 1)));
        Assert.False(File.Exists(ProducerStateFile.PathIn(state)));
    }

    [BrokerFact]
    public async Task PublishAsync_StateOfTheEarlierBuild_ResumesItsBatchAndReplacesIt()
    {
        // batch.json plus the run state's checkpoints.json, as the producer wrote them before producer.json.
        var file = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(file, Enumerable.Range(1, 10).Select(i => $"http://127.0.0.1:9/ok?i={i}"));
        var state = Path.Combine(_directory, "state");
        var source = new TextFileUrlSource(file);
        await new Pipeline.State.RunStateStore(state).SaveAsync([source], [source], [new SourcePosition(6, 6, false)], [], CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(state, "batch.json"), """{"batch":"old1","published":6}""");

        var run = await Publisher(4).PublishAsync([source], DuplicatePolicy.Skip, state, TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(("old1", 4L, 10L, true), (run.Batch, run.Published, run.Total, run.Resumed));
        Assert.Equal(Enumerable.Range(7, 4).Select(i => $"old1/{file}:{i}").Order(), (await DrainAsync(_queues.Work, 4)).Order());
        Assert.Empty(Directory.EnumerateFiles(state));
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        if (Broker.IsListening)
        {
            Broker.DeleteAsync(_queues.Work, _queues.Results).GetAwaiter().GetResult();
        }
    }

    private UrlPublisher Publisher(int window) => new(
        Options.Create(new RabbitMqOptions { Uri = Broker.Uri, WorkQueue = _queues.Work, ResultQueue = _queues.Results, PublishWindow = window }),
        TimeProvider.System,
        NullLogger<UrlPublisher>.Instance);

    private static async Task<List<string>> DrainAsync(string queue, int expected)
    {
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var ids = new List<string>();
        while (await channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            ids.Add(message.BasicProperties.MessageId ?? Encoding.UTF8.GetString(message.Body.Span));
        }

        Assert.Equal(expected, ids.Count);
        return ids;
    }

    /// <summary>Stops the run (as SIGTERM would) right after handing out a given line.</summary>
    private sealed class StoppingSource(TextFileUrlSource inner, long stopAfterLine, CancellationTokenSource stop) : IResumableUrlSource
    {
        public string Name => inner.Name;

        public long? KnownCount => inner.KnownCount;

        public string Fingerprint => inner.Fingerprint;

        public IUrlSource StartAfter(SourcePosition position) => inner.StartAfter(position);

        public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var item in inner.ReadAsync(cancellationToken))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return item;
                if (item.Line == stopAfterLine)
                {
                    await stop.CancelAsync();
                }
            }
        }
    }

    /// <summary>Runs an action (the broker cutting the connection) when it reaches a given line, then reads on.</summary>
    private sealed class CuttingSource(TextFileUrlSource inner, long cutAtLine, Func<Task> cut) : IResumableUrlSource
    {
        public string Name => inner.Name;

        public long? KnownCount => inner.KnownCount;

        public string Fingerprint => inner.Fingerprint;

        public IUrlSource StartAfter(SourcePosition position) => inner.StartAfter(position);

        public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            await foreach (var item in inner.ReadAsync(cancellationToken))
            {
                if (item.Line == cutAtLine)
                {
                    await cut();
                }

                yield return item;
            }
        }
    }
}
