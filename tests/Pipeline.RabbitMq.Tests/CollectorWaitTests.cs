using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Pipeline.RabbitMq.Tests.Support;

namespace Pipeline.RabbitMq.Tests;

/// <summary>A collector started before any producer says, at a slow interval, that it waits and on which queue.</summary>
public sealed class CollectorWaitTests : IDisposable
{
    private const int ConnectedEvent = 101;
    private const int WaitingForBatchEvent = 109;
    private const int WaitingForResultsEvent = 110;
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-collector-wait-").FullName;
    private readonly (string Work, string Results) _queues = Broker.NewQueues();

    [BrokerFact]
    public async Task CollectAsync_NoBatchAnnounced_LogsThatItWaitsOnItsQueueOncePerInterval()
    {
        var clock = new FakeTimeProvider();
        var logger = new EventLogger<ResultCollector>(ConnectedEvent);
        var collector = new ResultCollector(
            Options.Create(new RabbitMqOptions { Uri = Broker.Uri, WorkQueue = _queues.Work, ResultQueue = _queues.Results }),
            clock,
            logger);
        using var stop = new CancellationTokenSource();

        var collecting = collector.CollectAsync(Path.Combine(_directory, "results.jsonl"), stop.Token);
        await logger.Logged.WaitAsync(TimeSpan.FromSeconds(60));

        // Silent within the interval, one line when it has passed, one more per further interval.
        clock.Advance(CollectorWaitLog.Interval - TimeSpan.FromSeconds(1));
        Assert.DoesNotContain(logger.Messages, m => m.EventId == WaitingForBatchEvent);
        clock.Advance(TimeSpan.FromSeconds(1));
        var waiting = Assert.Single(logger.Messages, m => m.EventId == WaitingForBatchEvent);
        Assert.StartsWith($"Collector waiting on queue {_queues.Results}: no batch announced yet, 0 result(s) written so far, nothing arrived in the last 00:00:30", waiting.Message, StringComparison.Ordinal);
        clock.Advance(CollectorWaitLog.Interval);
        Assert.Equal(2, logger.Messages.Count(m => m.EventId == WaitingForBatchEvent));

        await stop.CancelAsync();
        var collected = await collecting.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, collected.Written);
        Assert.False(collected.Complete);
    }

    [Fact]
    public void Progress_ResultsArrivedThisInterval_StaysSilentThenCountsTheAnnouncedBatches()
    {
        var clock = new FakeTimeProvider();
        var logger = new EventLogger<ResultCollector>(WaitingForResultsEvent);
        using var waiting = new CollectorWaitLog(clock, logger, "q.results");

        waiting.Progress(new Dictionary<string, (long Expected, long Received)> { ["b1"] = (10, 4), ["b2"] = (long.MaxValue, 3) }, written: 7);
        clock.Advance(CollectorWaitLog.Interval);
        Assert.Empty(logger.Messages);

        // A whole interval without a delivery: it says so, counting only the announced batch.
        clock.Advance(CollectorWaitLog.Interval);
        var (eventId, message) = Assert.Single(logger.Messages);
        Assert.Equal(WaitingForResultsEvent, eventId);
        Assert.Equal("Collector waiting on queue q.results: 4 of 10 result(s) of 1 announced batch(es) written, nothing arrived in the last 00:00:30", message);
    }

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        if (Broker.IsListening)
        {
            Broker.DeleteAsync(_queues.Work, _queues.Results).GetAwaiter().GetResult();
        }
    }
}
