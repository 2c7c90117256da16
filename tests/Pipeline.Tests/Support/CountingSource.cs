using System.Runtime.CompilerServices;
using Pipeline.Sources;

namespace Pipeline.Tests.Support;

/// <summary>Wraps a source and counts how many items the producer has pulled from it.</summary>
public sealed class CountingSource(IUrlSource inner) : IUrlSource
{
    private readonly TaskCompletionSource _exhausted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _pulled;

    public string Name => inner.Name;

    public long? KnownCount => inner.KnownCount;

    public int Pulled => Volatile.Read(ref _pulled);

    /// <summary>Completes when the producer has read the whole source.</summary>
    public Task Exhausted => _exhausted.Task;

    public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in inner.ReadAsync(cancellationToken))
        {
            Interlocked.Increment(ref _pulled);
            yield return item;
        }

        _exhausted.TrySetResult();
    }
}
