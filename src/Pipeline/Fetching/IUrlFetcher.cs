using Pipeline.Sources;

namespace Pipeline.Fetching;

/// <summary>Fetches one URL: one item in, one result out.</summary>
/// <remarks>
/// A fetcher reports a URL's own failure (refused, timed out, bad status) as the result and never
/// throws for it; it throws <see cref="OperationCanceledException"/> only when
/// the cancellation token asks it to stop.
/// </remarks>
public interface IUrlFetcher
{
    /// <summary>Fetches the item's URL and reads the whole response body.</summary>
    /// <param name="item">A valid item (<see cref="WorkItem.IsValid"/>).</param>
    /// <param name="cancellationToken">Stops the fetch because the run is stopping.</param>
    /// <returns>The result; <see cref="FetchResult.ConsumerId"/> and <see cref="FetchResult.Mode"/> are set by the pipeline.</returns>
    ValueTask<FetchResult> FetchAsync(WorkItem item, CancellationToken cancellationToken);

    /// <summary>Fetches the item's URL and keeps (the start of) its body for the processing stage.</summary>
    /// <param name="item">A valid item (<see cref="WorkItem.IsValid"/>).</param>
    /// <param name="body">Where to keep the body's bytes, up to its limit, or <see langword="null"/> to keep none.</param>
    /// <param name="cancellationToken">Stops the fetch because the run is stopping.</param>
    /// <returns>The result.</returns>
    /// <remarks>The default keeps nothing: a fetcher that does not override it gives the processing steps an empty body (and the record says so).</remarks>
    ValueTask<FetchResult> FetchAsync(WorkItem item, Processing.ResponseBody? body, CancellationToken cancellationToken) => FetchAsync(item, cancellationToken);
}
