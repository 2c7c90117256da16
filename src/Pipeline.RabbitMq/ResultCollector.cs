using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sinks;
using Pipeline.State;
using Pipeline.Telemetry;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Pipeline.RabbitMq;

/// <summary>
/// The collector role: reads the result queue into one JSON-lines file, drops the second result of a
/// message that was fetched twice, and ends when every batch its producer announced is complete.
/// </summary>
/// <remarks>
/// Results are acked only after they are fsync'd to the file and counted in the durable ledger
/// (<see cref="CollectorLedger"/>), so a collector killed at any point is replaced by one that
/// finishes the batch into the same file with one result per line.
/// </remarks>
/// <param name="options">The broker settings.</param>
/// <param name="timeProvider">The clock.</param>
/// <param name="logger">The logger.</param>
public sealed class ResultCollector(IOptions<RabbitMqOptions> options, TimeProvider timeProvider, ILogger<ResultCollector> logger)
{
    // Deliveries in hand at once: the file is fsync'd, the ledger saved and they are acked whenever the
    // queue runs dry or this many are in hand, so one ledger write covers up to this many results.
    private const ushort Prefetch = 2048;

    /// <summary>Collects until every announced batch is complete, the idle timeout passes, or the token is cancelled.</summary>
    /// <param name="output">The JSON-lines file to write.</param>
    /// <param name="stateDirectory">Where the collector keeps its ledger (the caller holds the folder's <see cref="StateLock"/>).</param>
    /// <param name="cancellationToken">Stops collecting; what was written is acked.</param>
    /// <returns>What was collected.</returns>
    public async Task<CollectSummary> CollectAsync(string output, string stateDirectory, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (string.IsNullOrEmpty(settings.ResultQueue))
        {
            throw new BrokerException($"{RabbitMqOptions.SectionName}:ResultQueue is empty: workers write their own files and there is nothing to collect.");
        }

        var ledger = await CollectorLedger.LoadAsync(stateDirectory, output, cancellationToken);
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
        // The batches this run waits for: those left unfinished by an earlier collector, and any it hears of.
        var open = ledger.Batches.Where(b => !b.Value.Complete).Select(b => b.Key).ToHashSet(StringComparer.Ordinal);
        long written = 0, dropped = 0, redelivered = 0;
        var consumersPerWorker = new Dictionary<string, int>();
        var overlap = new FetchOverlap();
        var mode = PipelineMode.Concurrent;
        var started = timeProvider.GetTimestamp();
        var interrupted = false;

        // Cut back to what the ledger counts: anything after it was never acked, so it comes again.
        // A first collector (no ledger yet) appends to what the file already holds, as before ledgers.
        await using (var sink = ledger.IsNew ? JsonLinesResultSink.Create(output, append: true, logger) : JsonLinesResultSink.OpenForBatch(output, ledger.ResultsLength, logger))
        {
            if (ledger.IsNew)
            {
                // Saved before the first result is written, so that a crash during that write is cut back.
                ledger.ResultsLength = sink.FlushedLength;
                await ledger.SaveAsync(CancellationToken.None);
            }

            // Not cancellable: a stop that comes now is seen by the wait below, which ends the run cleanly.
            var tag = await ConsumeExclusivelyAsync(channel, settings, consumer, CancellationToken.None);
            ulong lastTag = 0;

            // Results on the disk, then the ledger that counts them, then the ack: a crash between
            // any two steps leaves nothing counted that is not in the file, and nothing twice.
            async Task SettleAsync()
            {
                await sink.FlushAsync(CancellationToken.None);
                if (ledger.Dirty || ledger.ResultsLength != sink.FlushedLength)
                {
                    ledger.ResultsLength = sink.FlushedLength;
                    await ledger.SaveAsync(CancellationToken.None);
                }

                if (lastTag > 0 && channel.IsOpen)
                {
                    await channel.BasicAckAsync(lastTag, multiple: true, CancellationToken.None);
                    lastTag = 0;
                }
            }

            try
            {
                while (!AllComplete(ledger, open) && await IdleWait.WaitToReadAsync(deliveries.Reader, settings.IdleTimeout, timeProvider, cancellationToken))
                {
                    while (deliveries.Reader.TryRead(out var delivery))
                    {
                        lastTag = delivery.DeliveryTag;
                        if (delivery.BasicProperties.Type == MessageHeaders.BatchEndType)
                        {
                            var batch = MessageHeaders.String(delivery.BasicProperties.Headers, MessageHeaders.Batch) ?? string.Empty;
                            var count = MessageHeaders.Number(delivery.BasicProperties.Headers, MessageHeaders.Count) ?? -1;
                            if (count >= 0)
                            {
                                ledger.Announce(batch, count);
                                open.Add(batch);
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
                        var batchOf = BatchOf(id);
                        if (!ledger.TryAdd(batchOf, id))
                        {
                            dropped++;
                            continue;
                        }

                        open.Add(batchOf);
                        mode = result.Mode;
                        written++;
                        redelivered += fetched?.Redelivered == true ? 1 : 0;
                        statistics.Add(result);
                        if (fetched?.Worker is { } worker)
                        {
                            consumersPerWorker[worker] = Math.Max(consumersPerWorker.GetValueOrDefault(worker), result.ConsumerId + 1);
                        }

                        if (result.Attempts > 0)
                        {
                            overlap.Add(result.StartedAt, result.Duration);
                        }

                        await sink.WriteAsync(result, CancellationToken.None);
                    }

                    waiting.Progress(Counts(ledger, open), written);
                    await SettleAsync();
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                await SettleAsync();
            }

            if (channel.IsOpen)
            {
                await channel.BasicCancelAsync(tag, noWait: false, CancellationToken.None);
            }
        }

        // The consumers of every worker together, and the overlap of their fetches on the (shared) wall
        // clock, so the summary reads as one run of the whole fleet.
        var announced = Counts(ledger, open).Where(b => b.Value.Expected != long.MaxValue).ToDictionary(b => b.Key, b => b.Value);
        var wall = overlap.Wall ?? timeProvider.GetElapsedTime(started);
        var run = statistics.ToSummary(mode, Math.Max(1, consumersPerWorker.Values.Sum()), wall, overlap.Peak(), interrupted, activity);
        return new CollectSummary(run, written, dropped, redelivered, announced);
    }

    private static bool AllComplete(CollectorLedger ledger, HashSet<string> open) => CollectSummary.AllComplete(Counts(ledger, open));

    private static Dictionary<string, (long Expected, long Received)> Counts(CollectorLedger ledger, HashSet<string> open)
        => open.ToDictionary(b => b, b => ledger.Batches.TryGetValue(b, out var entry) ? (entry.Expected ?? long.MaxValue, entry.Received) : (long.MaxValue, 0L), StringComparer.Ordinal);

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
