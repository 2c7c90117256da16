using Pipeline.Sources;
using RabbitMQ.Client;

namespace Pipeline.RabbitMq;

/// <summary>Acks a delivered URL once its result is written, or returns it to the queue for another worker.</summary>
internal sealed class MessageAcknowledgement(IChannel channel, ulong deliveryTag) : IWorkAcknowledgement
{
    public ValueTask CompleteAsync(CancellationToken cancellationToken)
        => channel.BasicAckAsync(deliveryTag, multiple: false, cancellationToken);

    public ValueTask ReleaseAsync(CancellationToken cancellationToken)
        => channel.BasicNackAsync(deliveryTag, multiple: false, requeue: true, cancellationToken);
}
