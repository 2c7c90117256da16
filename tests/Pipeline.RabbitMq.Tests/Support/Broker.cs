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

    /// <summary>Completes once the queue has the given number of consumers (the broker's own count, asked until it agrees).</summary>
    public static async Task ConsumersAsync(string queue, uint count)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            // The queue may not exist until the collector declares it.
            var declared = await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: deadline.Token);
            if (declared.ConsumerCount >= count)
            {
                return;
            }

            await Task.Delay(50, deadline.Token);
        }
    }

    /// <summary>Completes once the queue holds at least this many messages (the broker's own count, asked until it agrees) and returns the count.</summary>
    public static async Task<uint> UntilMessagesAsync(string queue, uint count)
    {
        await using var connection = await ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(600));
        while (true)
        {
            // Declared (idempotent) rather than asked passively: the queue may not exist until the producer declares it.
            var declared = await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false, cancellationToken: deadline.Token);
            if (declared.MessageCount >= count)
            {
                return declared.MessageCount;
            }

            await Task.Delay(10, deadline.Token);
        }
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

    /// <summary>Closes, from the broker's side, the connection a client named so (as a broker restart or a network cut would).</summary>
    public static async Task CloseConnectionAsync(string connectionName)
    {
        var list = await RabbitmqctlAsync("-q", "list_connections", "pid", "client_properties");
        var pid = list.Split('\n').Where(line => line.Contains(connectionName, StringComparison.Ordinal))
            .Select(line => line.Split('\t')[0].Trim())
            .Single();
        await RabbitmqctlAsync("-q", "close_connection", pid, "closed by a test");
    }

    public static Task<IConnection> ConnectAsync() => new ConnectionFactory { Uri = new Uri(Uri) }.CreateConnectionAsync();

    /// <summary>Raises or clears the broker's memory alarm, which blocks every publishing connection (flow control).</summary>
    public static Task SetMemoryAlarmAsync(bool raised)
        => RabbitmqctlAsync("-q", "set_vm_memory_high_watermark", raised ? "0.0000001" : "0.4");

    private static async Task<string> RabbitmqctlAsync(params string[] args)
    {
        var info = new System.Diagnostics.ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = System.Diagnostics.Process.Start(info) ?? throw new InvalidOperationException("rabbitmqctl did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return process.ExitCode == 0 ? await output : throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)}: {await error}");
    }

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
