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

            // Something that accepts TCP but never speaks AMQP (a wrong port) must fail, not hang.
            HandshakeContinuationTimeout = options.ConnectTimeout,

            // No automatic recovery: delivery tags from before a reconnect are void, so a worker that
            // lost its connection stops (its unacked URLs go back to the queue) and is restarted.
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
        };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(options.ConnectTimeout * 2);
        try
        {
            return await factory.CreateConnectionAsync(deadline.Token);
        }
        catch (BrokerUnreachableException ex)
        {
            throw new BrokerException($"RabbitMQ at {Redacted(options.Uri)} is unreachable or refused the login: {Innermost(ex).Message} (is the broker running? check Pipeline:RabbitMq:Uri, its port, user, password and virtual host)", ex);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException($"RabbitMQ at {Redacted(options.Uri)} did not answer within {options.ConnectTimeout.TotalSeconds * 2:0} s: is that port a RabbitMQ broker? (check Pipeline:RabbitMq:Uri)", ex);
        }
    }

    private static Exception Innermost(Exception ex)
    {
        while (ex.InnerException is not null)
        {
            ex = ex.InnerException;
        }

        return ex;
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
