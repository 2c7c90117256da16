using System.Collections.Concurrent;
using Pipeline.Fetching;
using Pipeline.Sinks;

namespace Pipeline.Tests.Support;

/// <summary>A sink that keeps every result in memory.</summary>
public sealed class RecordingSink : IResultSink
{
    private readonly ConcurrentQueue<FetchResult> _results = new();

    public IReadOnlyList<FetchResult> Results => [.. _results];

    public int Flushes { get; private set; }

    public ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken)
    {
        _results.Enqueue(result);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        Flushes++;
        return ValueTask.CompletedTask;
    }
}
