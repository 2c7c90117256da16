using System.Runtime.CompilerServices;
using Pipeline.Sources;

namespace Pipeline.Benchmarks.Support;

/// <summary>A source over items parsed beforehand: the producer's cost without URL parsing.</summary>
/// <param name="items">The items, yielded in order on every read.</param>
internal sealed class MemoryUrlSource(IReadOnlyList<WorkItem> items) : IUrlSource
{
    public string Name => Workload.SourceName;

    public long? KnownCount => items.Count;

    public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Like ListUrlSource: never run a long list synchronously inside the caller's start-up.
        await Task.Yield();
        for (var i = 0; i < items.Count; i++)
        {
            yield return items[i];
        }
    }
}
