namespace Pipeline.Sources;

/// <summary>
/// How a source learns what became of an item it handed out: a broker source acks or returns the
/// message, so that nothing is lost when a worker stops or dies.
/// </summary>
/// <remarks>
/// The runner calls exactly one of the two methods per item, from its sink stage, and only after the
/// item's result has been written and flushed: an item is never acknowledged before its result is durable.
/// </remarks>
public interface IWorkAcknowledgement
{
    /// <summary>The item has its final result, written by the sink: the source may forget it.</summary>
    /// <param name="cancellationToken">Stops waiting for the source.</param>
    /// <returns>A task that completes when the source has taken the acknowledgement.</returns>
    ValueTask CompleteAsync(CancellationToken cancellationToken);

    /// <summary>The run stopped before the item was fetched: the source should hand it to someone else.</summary>
    /// <param name="cancellationToken">Stops waiting for the source.</param>
    /// <returns>A task that completes when the source has taken the item back.</returns>
    ValueTask ReleaseAsync(CancellationToken cancellationToken);
}
