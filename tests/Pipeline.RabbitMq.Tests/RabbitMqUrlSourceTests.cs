using System.Text;
using Pipeline.RabbitMq.Tests.Support;
using Pipeline.Sources;
using RabbitMQ.Client;

namespace Pipeline.RabbitMq.Tests;

public sealed class RabbitMqUrlSourceTests : IAsyncDisposable
{
    private readonly (string Work, string Results) _queues = Broker.NewQueues();

    [BrokerFact]
    public async Task ReadAsync_IdleTimeoutPassesWithUrlsInHand_KeepsReadingUntilTheyAreSettled()
    {
        await using var connection = await Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeclareAsync(_queues.Work, durable: true, exclusive: false, autoDelete: false);
        for (var i = 1; i <= 3; i++)
        {
            await channel.BasicPublishAsync(string.Empty, _queues.Work, Encoding.UTF8.GetBytes($"http://127.0.0.1:9/ok?i={i}"));
        }

        await Broker.UntilMessagesAsync(_queues.Work, 3);
        var logger = new EventLogger<RabbitMqUrlSource>(watchedEventId: 112);
        var source = new RabbitMqUrlSource(channel, _queues.Work, prefetch: 3, idleTimeout: TimeSpan.FromMilliseconds(100), logger);
        await using var reading = source.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        var held = new List<WorkItem>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await reading.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60)));
            held.Add(reading.Current);
        }

        // The whole prefetch is in hand (as when every fetch outlasts the timeout): the broker sends
        // nothing more, yet this is a busy worker, not an idle one.
        var next = reading.MoveNextAsync().AsTask();
        await logger.Logged.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(next.IsCompleted);

        foreach (var item in held)
        {
            await item.Delivery!.CompleteAsync(CancellationToken.None);
        }

        // Settled and nothing more queued: now it is idle, and the source ends.
        Assert.False(await next.WaitAsync(TimeSpan.FromSeconds(60)));
        Assert.Equal(0u, await Broker.MessageCountAsync(_queues.Work));
    }

    public async ValueTask DisposeAsync()
    {
        if (Broker.IsListening)
        {
            await Broker.DeleteAsync(_queues.Work);
        }
    }
}
