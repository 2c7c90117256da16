using System.Net.Sockets;
using RabbitMQ.Client;

namespace Pipeline.RabbitMq.Tests.Support;

/// <summary>The broker the tests use: <c>PIPELINE_RABBITMQ_URI</c>, or the local one a Debian install starts.</summary>
public static class Broker
{
    public static string Uri { get; } = Environment.GetEnvironmentVariable("PIPELINE_RABBITMQ_URI") is { Length: > 0 } uri ? uri : "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>Gets a value indicating whether something listens on the broker's port (a TCP connect on loopback, no AMQP).</summary>
    public static bool IsListening { get; } = Probe();

    /// <summary>Fresh queue names, so tests never see each other's messages.</summary>
    public static (string Work, string Results) NewQueues()
    {
        var id = Guid.NewGuid().ToString("n")[..10];
        return ($"test-{id}.urls", $"test-{id}.results");
    }

    public static async Task<uint> MessageCountAsync(string queue)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        return await channel.MessageCountAsync(queue);
    }

    public static async Task DeleteAsync(params string[] queues)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        foreach (var queue in queues)
        {
            await channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }
    }

    public static Task<IConnection> ConnectAsync() => new ConnectionFactory { Uri = new Uri(Uri) }.CreateConnectionAsync();

    private static bool Probe()
    {
        var uri = new Uri(Uri);
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(uri.Host, uri.Port == -1 ? 5672 : uri.Port).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
