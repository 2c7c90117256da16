using System.Buffers;
using System.Text.Json;
using Pipeline.Fetching;
using Pipeline.Sinks;
using RabbitMQ.Client;

namespace Pipeline.RabbitMq;

/// <summary>
/// The worker role's sink: each final result is published as the same JSON record the results file
/// holds, persistent, to the durable result queue; <see cref="FlushAsync"/> returns once the broker
/// has confirmed them all, which is when the runner acks the URLs.
/// </summary>
internal sealed class RabbitMqResultSink : IResultSink, IAsyncDisposable
{
    private readonly IChannel _channel;
    private readonly string _queue;
    private readonly int _window;
    private readonly string _worker;
    private readonly Queue<Task> _unconfirmed = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    private RabbitMqResultSink(IChannel channel, string queue, int window, string worker)
    {
        _worker = worker;
        _channel = channel;
        _queue = queue;
        _window = window;
        _json = new Utf8JsonWriter(_buffer);
    }

    /// <summary>Opens a confirming channel on the connection for results.</summary>
    public static async Task<RabbitMqResultSink> CreateAsync(IConnection connection, RabbitMqOptions options, CancellationToken cancellationToken)
    {
        var channelOptions = new CreateChannelOptions(
            publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(options.PublishWindow * 2));
        var channel = await connection.CreateChannelAsync(channelOptions, cancellationToken);
        return new RabbitMqResultSink(channel, options.ResultQueue, options.PublishWindow, options.WorkerName);
    }

    public async ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);

        // A URL that was returned to the queue has no result yet: whoever fetches it next writes it.
        var delivery = result.Delivery as MessageDelivery;
        if (delivery is not null && result.Outcome is FetchOutcome.Pending or FetchOutcome.Cancelled)
        {
            return;
        }

        // The collector counts consumers per worker: the published record names this one.
        var published = delivery is null ? result : result with { Delivery = delivery.FetchedBy(_worker) };
        _buffer.Clear();
        _json.Reset(_buffer);
        ResultRecord.Write(_json, published);
        await _json.FlushAsync(cancellationToken);
        var properties = new BasicProperties
        {
            Persistent = true,
            Type = MessageHeaders.ResultType,
            ContentType = "application/json",
            MessageId = delivery?.MessageId,
        };
        if (_unconfirmed.Count >= _window)
        {
            await _unconfirmed.Dequeue();
        }

        _unconfirmed.Enqueue(_channel.BasicPublishAsync(string.Empty, _queue, mandatory: true, properties, _buffer.WrittenMemory.ToArray(), cancellationToken).AsTask());
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        while (_unconfirmed.Count > 0)
        {
            await _unconfirmed.Dequeue().WaitAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _json.DisposeAsync();
        await _channel.DisposeAsync();
    }
}
