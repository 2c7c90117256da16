using Pipeline.Fetching;
using Pipeline.Sources;

namespace Pipeline.Benchmarks.Support;

/// <summary>A fetcher that answers every URL at once with a 200 and no I/O: what is left is the pipeline's own cost.</summary>
internal sealed class NoOpFetcher : IUrlFetcher
{
    public ValueTask<FetchResult> FetchAsync(WorkItem item, CancellationToken cancellationToken) => ValueTask.FromResult(new FetchResult
    {
        Url = item.Text,
        Source = item.Source,
        Line = item.Line,
        Outcome = FetchOutcome.Succeeded,
        StatusCode = 200,
        Bytes = 3,

        // The real fetcher stamps every result; the sink formats the stamp, so keep that cost in.
        StartedAt = TimeProvider.System.GetUtcNow(),
        Duration = TimeSpan.FromTicks(1234),
        Attempts = 1,
    });
}
