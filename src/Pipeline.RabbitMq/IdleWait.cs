using System.Threading.Channels;

namespace Pipeline.RabbitMq;

/// <summary>Waiting for deliveries with an optional idle timeout, for the roles that may end when nothing comes.</summary>
internal static class IdleWait
{
    /// <summary>Waits for an item; <see langword="false"/> when the reader completes or nothing arrives within <paramref name="idleTimeout"/> (zero: wait forever) on <paramref name="timeProvider"/>'s clock.</summary>
    public static async ValueTask<bool> WaitToReadAsync<T>(ChannelReader<T> reader, TimeSpan idleTimeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        if (idleTimeout <= TimeSpan.Zero)
        {
            return await reader.WaitToReadAsync(cancellationToken);
        }

        using var timeout = new CancellationTokenSource(idleTimeout, timeProvider);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await reader.WaitToReadAsync(idle.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing arrived for the idle timeout: this role's part is done.
            return false;
        }
    }
}
