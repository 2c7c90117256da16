using System.Buffers;
using System.Text.Json;
using Pipeline.Fetching;
using Pipeline.Sinks;
using RabbitMQ.Client;

namespace Pipeline.RabbitMq.Tests.Support;

/// <summary>Publishes result records and batch announcements straight to a result queue, as workers and a producer would, so that a test chooses their order.</summary>
internal sealed class ResultFeed : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly string _queue;

    private ResultFeed(IConnection connection, IChannel channel, string queue)
    {
        _connection = connection;
        _channel = channel;
        _queue = queue;
    }

    public static async Task<ResultFeed> OpenAsync((string Work, string Results) queues)
    {
        var connection = await Broker.ConnectAsync();
        var channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await BrokerConnection.DeclareQueuesAsync(channel, new RabbitMqOptions { Uri = Broker.Uri, WorkQueue = queues.Work, ResultQueue = queues.Results }, CancellationToken.None);
        return new ResultFeed(connection, channel, queues.Results);
    }

    /// <summary>One succeeded result per line, each with the message id the producer gives its URL.</summary>
    public async Task ResultsAsync(string batch, string source, IEnumerable<long> lines, bool redelivered = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var line in lines)
        {
            var id = $"{batch}/{source}:{line}";
            var result = new FetchResult
            {
                Url = $"http://127.0.0.1/item/{line}",
                Source = source,
                Line = line,
                Outcome = FetchOutcome.Succeeded,
                StatusCode = 200,
                StartedAt = DateTimeOffset.UnixEpoch.AddSeconds(line),
                Duration = TimeSpan.FromMilliseconds(5),
                Attempts = 1,
                Delivery = new MessageDelivery(null, 0, id, redelivered, null, "feed"),
            };
            buffer.Clear();
            await using (var writer = new Utf8JsonWriter(buffer))
            {
                ResultRecord.Write(writer, result);
            }

            var properties = new BasicProperties { Persistent = true, Type = MessageHeaders.ResultType, MessageId = id };
            await _channel.BasicPublishAsync(string.Empty, _queue, mandatory: true, properties, buffer.WrittenMemory.ToArray());
        }
    }

    /// <summary>The producer's announcement that the batch has this many lines.</summary>
    public async Task BatchEndAsync(string batch, long count)
    {
        var properties = new BasicProperties
        {
            Persistent = true,
            Type = MessageHeaders.BatchEndType,
            MessageId = $"{batch}/end",
            Headers = new Dictionary<string, object?> { [MessageHeaders.Batch] = batch, [MessageHeaders.Count] = count },
        };
        await _channel.BasicPublishAsync(string.Empty, _queue, mandatory: true, properties, ReadOnlyMemory<byte>.Empty);
    }

    public async ValueTask DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
