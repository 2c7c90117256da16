using System.Diagnostics;
using System.Text.Json;
using Pipeline.Sources;
using RabbitMQ.Client;

namespace Pipeline.RabbitMq;

/// <summary>
/// The broker's part of a URL, carried through the pipeline untouched: acks the message once the URL's
/// result is written (or returns it to the queue for another worker), continues the publisher's trace,
/// and puts the message id, the redelivery flag and the worker into the result record, which the
/// collector de-duplicates and counts by.
/// </summary>
/// <param name="channel">The channel the message was delivered on, or <see langword="null"/> for a result read back from the result queue (acked by the collector itself).</param>
/// <param name="deliveryTag">The message's delivery tag on that channel.</param>
/// <param name="messageId">The message id: <c>batch/source:line</c>.</param>
/// <param name="redelivered">Whether the broker had delivered the message before.</param>
/// <param name="parentContext">The trace context the URL was published under, or <see langword="null"/>.</param>
/// <param name="worker">The worker that fetched the URL, once its result is published; <see langword="null"/> before.</param>
/// <param name="settled">Called once when the message is first acked or returned (the source counts what it has in hand).</param>
internal sealed class MessageDelivery(IChannel? channel, ulong deliveryTag, string messageId, bool redelivered, ActivityContext? parentContext, string? worker = null, Action? settled = null) : IWorkDelivery
{
    private int _settled;

    public string MessageId { get; } = messageId;

    public bool Redelivered { get; } = redelivered;

    public string? Worker { get; } = worker;

    public ActivityContext? ParentContext { get; } = parentContext;

    /// <summary>Reads the broker's fields back from a result record, as <see cref="WriteResultFields"/> wrote them.</summary>
    /// <param name="record">The record, UTF-8 JSON.</param>
    /// <returns>The delivery the record describes, or <see langword="null"/> when it has no message id.</returns>
    /// <exception cref="JsonException">The record is not JSON.</exception>
    public static MessageDelivery? ReadBack(ReadOnlySpan<byte> record)
    {
        var reader = new Utf8JsonReader(record);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("messageId", out var id) || id.GetString() is not { } messageId)
        {
            return null;
        }

        var redelivered = root.TryGetProperty("redelivered", out var flag) && flag.ValueKind == JsonValueKind.True;
        var worker = root.TryGetProperty("worker", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null;
        return new MessageDelivery(null, 0, messageId, redelivered, null, worker);
    }

    /// <summary>The same delivery, naming the worker that fetched it (for the published result).</summary>
    /// <param name="name">The worker's name.</param>
    /// <returns>A copy with <see cref="Worker"/> set.</returns>
    public MessageDelivery FetchedBy(string name) => new(channel, deliveryTag, MessageId, Redelivered, ParentContext, name);

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        Settle();
        return channel?.BasicAckAsync(deliveryTag, multiple: false, cancellationToken) ?? ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(CancellationToken cancellationToken)
    {
        Settle();
        return channel?.BasicNackAsync(deliveryTag, multiple: false, requeue: true, cancellationToken) ?? ValueTask.CompletedTask;
    }

    public void WriteResultFields(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteString("messageId"u8, MessageId);
        writer.WriteBoolean("redelivered"u8, Redelivered);
        if (Worker is { } worker)
        {
            writer.WriteString("worker"u8, worker);
        }
    }

    private void Settle()
    {
        if (Interlocked.Exchange(ref _settled, 1) == 0)
        {
            settled?.Invoke();
        }
    }
}
