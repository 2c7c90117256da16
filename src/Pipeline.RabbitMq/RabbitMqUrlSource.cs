using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Sources;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Pipeline.RabbitMq;

/// <summary>
/// The worker role's source: URLs delivered from the work queue, each carrying the acknowledgement
/// that the runner gives back once the URL's result is written.
/// </summary>
/// <remarks>
/// The broker hands out at most <c>prefetch</c> unacknowledged messages, so the deliveries waiting
/// here never exceed it. When reading stops, deliveries not yet handed to the pipeline are returned
/// to the queue at once; those in the pipeline are acked or returned by the runner.
/// </remarks>
internal sealed class RabbitMqUrlSource(IChannel channel, string queue, int prefetch, TimeSpan idleTimeout, TimeProvider timeProvider, ILogger logger) : IUrlSource
{
    // URLs handed to the pipeline and not yet acked or returned. The idle timeout counts only while
    // this is zero: a worker whose fetches all outlast the timeout is busy, not idle, and the queue
    // may still hold messages the full prefetch keeps the broker from sending.
    private int _inHand;
    public string Name => $"rabbitmq:{queue}";

    public long? KnownCount => null;

    public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var deliveries = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(prefetch) { SingleReader = true, SingleWriter = true });
        await channel.BasicQosAsync(prefetchSize: 0, prefetchCount: (ushort)prefetch, global: false, cancellationToken);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var item = ToItem(delivery);
            if (!deliveries.Writer.TryWrite(item))
            {
                // Only if the broker sent more than the prefetch: wait rather than drop.
                await deliveries.Writer.WriteAsync(item, CancellationToken.None);
            }
        };
        consumer.ShutdownAsync += (_, reason) =>
        {
            // The channel is gone and with it every delivery tag: end the source and let the worker
            // report the lost connection; the broker redelivers what this worker held.
            Log.ConsumerClosed(logger, queue, reason.ReplyText);
            deliveries.Writer.TryComplete();
            return Task.CompletedTask;
        };

        var tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, cancellationToken);
        try
        {
            while (await WaitForDeliveryAsync(deliveries.Reader, cancellationToken))
            {
                while (deliveries.Reader.TryRead(out var item))
                {
                    Interlocked.Increment(ref _inHand);
                    yield return item;
                }
            }
        }
        finally
        {
            if (channel.IsOpen)
            {
                await channel.BasicCancelAsync(tag, noWait: false, CancellationToken.None);

                // Delivered to this worker but never started: back to the queue for the others now,
                // not when this connection closes.
                while (deliveries.Reader.TryRead(out var unread))
                {
                    await unread.Delivery!.ReleaseAsync(CancellationToken.None);
                }
            }
        }
    }

    /// <summary>Waits for a delivery; <see langword="false"/> when the consumer closed, or when nothing came for the idle timeout while nothing was in hand.</summary>
    private async ValueTask<bool> WaitForDeliveryAsync(ChannelReader<WorkItem> reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            var inHandBefore = Volatile.Read(ref _inHand);
            if (await IdleWait.WaitToReadAsync(reader, idleTimeout, timeProvider, cancellationToken))
            {
                return true;
            }

            var inHand = Volatile.Read(ref _inHand);
            if (reader.Completion.IsCompleted || (inHand == 0 && inHandBefore == 0))
            {
                return false;
            }

            // Idle only for the broker: URLs were still in hand during the timeout, and each one
            // settled frees a prefetch slot the broker may fill. Wait another full period.
            Log.IdleWithUrlsInHand(logger, queue, idleTimeout, inHand);
        }
    }

    private WorkItem ToItem(BasicDeliverEventArgs delivery)
    {
        var headers = delivery.BasicProperties.Headers;
        var text = Encoding.UTF8.GetString(delivery.Body.Span);
        var source = MessageHeaders.String(headers, MessageHeaders.Source) ?? Name;
        var line = MessageHeaders.Number(headers, MessageHeaders.Line) ?? (long)delivery.DeliveryTag;
        var item = MessageHeaders.String(headers, MessageHeaders.Error) is { } error
            ? new WorkItem(source, line, text, null, error)
            : UrlLineParser.Parse(source, line, text) ?? new WorkItem(source, line, text, null, "empty message");
        return item with
        {
            Delivery = new MessageDelivery(
                channel,
                delivery.DeliveryTag,
                delivery.BasicProperties.MessageId ?? $"{queue}#{delivery.DeliveryTag}",
                delivery.Redelivered,
                MessageHeaders.ExtractTraceContext(headers),
                settled: () => Interlocked.Decrement(ref _inHand)),
            DuplicateOf = MessageHeaders.String(headers, MessageHeaders.DuplicateOf),
        };
    }
}
