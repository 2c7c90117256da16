using Pipeline.Fetching;

namespace Pipeline.Sinks;

/// <summary>Receives every result of a run, in the order the sink stage reads them.</summary>
/// <remarks>One sink stage reads the result channel, so a sink is called by one task at a time.</remarks>
public interface IResultSink
{
    /// <summary>Writes one result.</summary>
    /// <param name="result">The result.</param>
    /// <param name="cancellationToken">Stops the write.</param>
    /// <returns>A task that completes when the result is accepted (not necessarily durable).</returns>
    ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken);

    /// <summary>Makes what was written so far durable; called when the result channel runs dry and at the end.</summary>
    /// <param name="cancellationToken">Stops the flush.</param>
    /// <returns>A task that completes when the results written so far are on disk.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken);
}
