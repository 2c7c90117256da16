namespace Pipeline.Sources;

/// <summary>A lazily read stream of URLs: one producer runs per source.</summary>
/// <remarks>
/// A source must be re-readable: <see cref="PipelineMode.Compare"/> reads it twice, once per run.
/// Lines that are not usable URLs are yielded as invalid items so that they reach the results
/// with their line number instead of vanishing in the producer.
/// </remarks>
public interface IUrlSource
{
    /// <summary>Gets the name results and errors use for this source.</summary>
    string Name { get; }

    /// <summary>Gets the number of items the source will yield, when known without reading it.</summary>
    long? KnownCount { get; }

    /// <summary>Reads the source from the start.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The items, in source order.</returns>
    IAsyncEnumerable<WorkItem> ReadAsync(CancellationToken cancellationToken);
}
