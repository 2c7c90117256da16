using System.Text;
using Microsoft.Extensions.Time.Testing;
using Pipeline.RabbitMq.Tests.Support;
using Pipeline.Sources;
using RabbitMQ.Client;

namespace Pipeline.RabbitMq.Tests;

public sealed class RabbitMqUrlSourceTests : IAsyncDisposable
{
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(5);
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
        // A fake clock: no idle period passes while the deliveries arrive, however slow the broker is.
        var time = new FakeTimeProvider();
        var source = new RabbitMqUrlSource(channel, _queues.Work, prefetch: 3, IdleTimeout, time, logger);
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
        await AdvanceUntilAsync(time, logger.Logged);
        Assert.False(next.IsCompleted);

        foreach (var item in held)
        {
            await item.Delivery!.CompleteAsync(CancellationToken.None);
        }

        // Settled and nothing more queued: the next full idle period with nothing in hand ends the source.
        await AdvanceUntilAsync(time, next);
        Assert.False(await next);
        Assert.Equal(0u, await Broker.MessageCountAsync(_queues.Work));
    }

    public async ValueTask DisposeAsync()
    {
        if (Broker.IsListening)
        {
            await Broker.DeleteAsync(_queues.Work);
        }
    }

    // Moves the fake clock one idle period at a time until the task completes: the source starts
    // each idle wait on its own thread, so one step may land before that wait has begun.
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Task task)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!task.IsCompleted && DateTime.UtcNow < deadline)
        {
            time.Advance(IdleTimeout);
            await Task.WhenAny(task, Task.Delay(TimeSpan.FromMilliseconds(20)));
        }

        await task.WaitAsync(TimeSpan.Zero);
    }
}
