using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Pipeline.RabbitMq;

/// <summary>Opens connections and declares the two queues every role relies on.</summary>
internal static class BrokerConnection
{
    /// <summary>Connects to the broker, naming the URI (without its password) when it cannot.</summary>
    /// <param name="options">The broker settings.</param>
    /// <param name="clientName">How the connection shows in the broker's list (<c>rabbitmqctl list_connections</c>), after "pipeline".</param>
    /// <param name="cancellationToken">Stops connecting.</param>
    public static async Task<IConnection> OpenAsync(RabbitMqOptions options, string clientName, CancellationToken cancellationToken)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(options.Uri),
            ClientProvidedName = $"pipeline {clientName}",
            RequestedConnectionTimeout = options.ConnectTimeout,

            // No automatic recovery: delivery tags from before a reconnect are void, so a worker that
            // lost its connection stops (its unacked URLs go back to the queue) and is restarted.
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
        };
        try
        {
            return await factory.CreateConnectionAsync(cancellationToken);
        }
        catch (BrokerUnreachableException ex)
        {
            throw new BrokerException($"RabbitMQ at {Redacted(options.Uri)} is unreachable: {(ex.InnerException ?? ex).Message}", ex);
        }
    }

    /// <summary>Declares the durable work and result queues; declaring is idempotent, so every role does it.</summary>
    public static async Task DeclareQueuesAsync(IChannel channel, RabbitMqOptions options, CancellationToken cancellationToken)
    {
        await channel.QueueDeclareAsync(options.WorkQueue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        if (!string.IsNullOrEmpty(options.ResultQueue))
        {
            await channel.QueueDeclareAsync(options.ResultQueue, durable: true, exclusive: false, autoDelete: false, arguments: null, cancellationToken: cancellationToken);
        }
    }

    /// <summary>The URI with its password hidden, for messages and logs.</summary>
    public static string Redacted(string uri)
        => System.Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.UserInfo.Contains(':', StringComparison.Ordinal)
            ? new UriBuilder(parsed) { Password = "REDACTED" }.Uri.ToString()
            : uri;
}
