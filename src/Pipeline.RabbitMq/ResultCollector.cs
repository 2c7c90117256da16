using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sinks;
using Pipeline.Telemetry;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Pipeline.RabbitMq;

/// <summary>
/// The collector role: reads the result queue into one JSON-lines file, drops the second result of a
/// message that was fetched twice, and ends when every batch its producer announced is complete.
/// </summary>
/// <remarks>Results are acked only after they are flushed to the file, so a collector that dies loses nothing either.</remarks>
/// <param name="options">The broker settings.</param>
/// <param name="timeProvider">The clock.</param>
/// <param name="logger">The logger.</param>
public sealed class ResultCollector(IOptions<RabbitMqOptions> options, TimeProvider timeProvider, ILogger<ResultCollector> logger)
{
    // Deliveries in hand at once: the file is flushed and they are acked whenever the queue runs dry.
    private const ushort Prefetch = 512;

    /// <summary>Collects until every announced batch is complete, the idle timeout passes, or the token is cancelled.</summary>
    /// <param name="output">The JSON-lines file to write.</param>
    /// <param name="cancellationToken">Stops collecting; what was written is acked.</param>
    /// <returns>What was collected.</returns>
    public async Task<CollectSummary> CollectAsync(string output, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ResultQueue))
        {
            throw new BrokerException($"{RabbitMqOptions.SectionName}:ResultQueue is empty: workers write their own files and there is nothing to collect.");
        }

        await using var connection = await BrokerConnection.OpenAsync(settings, $"collector ({Environment.MachineName}/{Environment.ProcessId})", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await BrokerConnection.DeclareQueuesAsync(channel, settings, cancellationToken);
        await channel.BasicQosAsync(0, Prefetch, global: false, cancellationToken);
        // Started before the Connected line, so that whoever reads that line knows the clock is running.
        using var waiting = new CollectorWaitLog(timeProvider, logger, settings.ResultQueue);
        Log.Connected(logger, BrokerConnection.Redacted(settings.Uri), RabbitMqRole.Collector, settings.WorkQueue, settings.ResultQueue);

        var deliveries = Channel.CreateBounded<BasicDeliverEventArgs>(new BoundedChannelOptions(Prefetch) { SingleReader = true, SingleWriter = true });
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            // The body is only valid during the callback: keep a copy.
            var copy = new BasicDeliverEventArgs(delivery.ConsumerTag, delivery.DeliveryTag, delivery.Redelivered, delivery.Exchange, delivery.RoutingKey, delivery.BasicProperties, delivery.Body.ToArray(), CancellationToken.None);
            await deliveries.Writer.WriteAsync(copy, CancellationToken.None);
        };
        consumer.ShutdownAsync += (_, reason) =>
        {
            Log.ConsumerClosed(logger, settings.ResultQueue, reason.ReplyText);
            deliveries.Writer.TryComplete(new BrokerException($"RabbitMQ closed the consumer on '{settings.ResultQueue}': {reason.ReplyText}"));
            return Task.CompletedTask;
        };

        using var activity = PipelineTelemetry.ActivitySource.StartActivity("collect results");
        var statistics = new RunStatistics();
        var seen = new HashSet<ulong>();
        var batches = new Dictionary<string, (long Expected, long Received)>();
        long written = 0, dropped = 0, redelivered = 0;
        var consumersPerWorker = new Dictionary<string, int>();
        var fetches = new List<(DateTimeOffset Start, DateTimeOffset End)>();
        var mode = PipelineMode.Concurrent;
        var started = timeProvider.GetTimestamp();
        var interrupted = false;
        // Appended, never truncated: results an earlier collector acked off the queue live only there.
        await using (var sink = JsonLinesResultSink.Create(output, append: true))
        {
            var tag = await ConsumeExclusivelyAsync(channel, settings, consumer, cancellationToken);
            ulong lastTag = 0;
            try
            {
                while (!CollectSummary.AllComplete(batches) && await IdleWait.WaitToReadAsync(deliveries.Reader, settings.IdleTimeout, cancellationToken))
                {
                    while (deliveries.Reader.TryRead(out var delivery))
                    {
                        lastTag = delivery.DeliveryTag;
                        if (delivery.BasicProperties.Type == MessageHeaders.BatchEndType)
                        {
                            var batch = MessageHeaders.String(delivery.BasicProperties.Headers, MessageHeaders.Batch) ?? string.Empty;
                            var count = MessageHeaders.Number(delivery.BasicProperties.Headers, MessageHeaders.Count) ?? -1;

                            // A stopped collector hands on how many results of the batch it already wrote.
                            var carried = MessageHeaders.Number(delivery.BasicProperties.Headers, MessageHeaders.Received) ?? 0;
                            var sofar = batches.GetValueOrDefault(batch, (long.MaxValue, 0));
                            batches[batch] = (count >= 0 ? count : sofar.Item1, sofar.Item2 + carried);
                            if (count >= 0)
                            {
                                Log.BatchAnnounced(logger, batch, count);
                            }

                            continue;
                        }

                        FetchResult result;
                        MessageDelivery? fetched;
                        try
                        {
                            result = ResultRecord.Parse(delivery.Body.Span);
                            fetched = MessageDelivery.ReadBack(delivery.Body.Span);
                        }
                        catch (FormatException ex)
                        {
                            Log.BadRecord(logger, settings.ResultQueue, ex.Message);
                            continue;
                        }

                        // The broker's fields go back into the file as the worker wrote them.
                        result = result with { Delivery = fetched };
                        var id = fetched?.MessageId ?? delivery.BasicProperties.MessageId ?? $"{result.Source}:{result.Line}";
                        // 64 bits per id keeps memory at a few tens of MB for millions of results.
                        if (!seen.Add(UrlFingerprint.Of(id)))
                        {
                            dropped++;
                            continue;
                        }

                        mode = result.Mode;
                        written++;
                        redelivered += fetched?.Redelivered == true ? 1 : 0;
                        var batchOf = BatchOf(id);
                        var known = batches.GetValueOrDefault(batchOf, (long.MaxValue, 0));
                        batches[batchOf] = (known.Item1, known.Item2 + 1);
                        statistics.Add(result);
                        if (fetched?.Worker is { } worker)
                        {
                            consumersPerWorker[worker] = Math.Max(consumersPerWorker.GetValueOrDefault(worker), result.ConsumerId + 1);
                        }

                        if (result.Attempts > 0)
                        {
                            fetches.Add((result.StartedAt, result.StartedAt + result.Duration));
                        }

                        await sink.WriteAsync(result, CancellationToken.None);
                    }

                    waiting.Progress(batches, written);

                    // Written, then acked: a collector that dies here gets the same results again and drops the repeats.
                    await sink.FlushAsync(CancellationToken.None);
                    if (lastTag > 0)
                    {
                        await channel.BasicAckAsync(lastTag, multiple: true, CancellationToken.None);
                        lastTag = 0;
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                await sink.FlushAsync(CancellationToken.None);
                if (lastTag > 0 && channel.IsOpen)
                {
                    await channel.BasicAckAsync(lastTag, multiple: true, CancellationToken.None);
                }
            }

            if (channel.IsOpen)
            {
                await channel.BasicCancelAsync(tag, noWait: false, CancellationToken.None);
                await HandOnAsync(channel, settings.ResultQueue, batches);
            }
        }

        // The consumers of every worker together, and the overlap of their fetches on the (shared) wall
        // clock, so the summary reads as one run of the whole fleet.
        var announced = batches.Where(b => b.Value.Expected != long.MaxValue).ToDictionary(b => b.Key, b => b.Value);
        var wall = fetches.Count == 0 ? timeProvider.GetElapsedTime(started) : fetches.Max(f => f.End) - fetches.Min(f => f.Start);
        var run = statistics.ToSummary(mode, Math.Max(1, consumersPerWorker.Values.Sum()), wall, PeakOverlap(fetches), interrupted, activity);
        return new CollectSummary(run, written, dropped, redelivered, announced);
    }

    // The most fetches under way at once, replayed from each result's start and duration (an end
    // sorts before a start at the same instant: touching fetches do not overlap).
    private static long PeakOverlap(List<(DateTimeOffset Start, DateTimeOffset End)> fetches)
    {
        long open = 0, peak = 0;
        foreach (var (_, delta) in fetches.SelectMany(f => new[] { (At: f.Start, Delta: 1), (At: f.End, Delta: -1) }).OrderBy(e => e.At).ThenBy(e => e.Delta))
        {
            open += delta;
            peak = Math.Max(peak, open);
        }

        return peak;
    }

    // The announcement was consumed with the results: put back what the next collector needs to know
    // (the batch size, and how many results are already in the file) for every unfinished batch.
    private static async Task HandOnAsync(IChannel channel, string queue, Dictionary<string, (long Expected, long Received)> batches)
    {
        foreach (var (batch, (expected, received)) in batches.Where(b => b.Value.Received < b.Value.Expected))
        {
            var properties = new BasicProperties
            {
                Persistent = true,
                Type = MessageHeaders.BatchEndType,
                MessageId = $"{batch}/state",
                Headers = new Dictionary<string, object?>
                {
                    [MessageHeaders.Batch] = batch,
                    [MessageHeaders.Count] = expected == long.MaxValue ? -1 : expected,
                    [MessageHeaders.Received] = received,
                },
            };
            await channel.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
        }
    }

    // One collector per result queue: two would split the results and neither could finish.
    private static async Task<string> ConsumeExclusivelyAsync(IChannel channel, RabbitMqOptions settings, AsyncEventingBasicConsumer consumer, CancellationToken cancellationToken)
    {
        try
        {
            return await channel.BasicConsumeAsync(settings.ResultQueue, autoAck: false, consumerTag: string.Empty, noLocal: false, exclusive: true, arguments: null, consumer, cancellationToken);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException ex)
        {
            throw new BrokerException($"Another collector is already reading '{settings.ResultQueue}' at {BrokerConnection.Redacted(settings.Uri)}: run one collector per result queue ({ex.Message}).", ex);
        }
    }

    // Message ids are "<batch>/<source>:<line>" (batch ids contain no '/').
    private static string BatchOf(string messageId)
    {
        var slash = messageId.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 ? messageId[..slash] : string.Empty;
    }
}
