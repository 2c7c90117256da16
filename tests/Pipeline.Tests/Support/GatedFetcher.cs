using Pipeline.Fetching;
using Pipeline.Sources;

namespace Pipeline.Tests.Support;

/// <summary>A fetcher whose fetches all wait until the test opens the gate.</summary>
public sealed class GatedFetcher(int signalAfterStarted) : IUrlFetcher
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _startedCount;

    /// <summary>Completes when the given number of fetches are waiting at the gate.</summary>
    public Task Started => _started.Task;

    public void Open() => _gate.TrySetResult();

    public async ValueTask<FetchResult> FetchAsync(WorkItem item, CancellationToken cancellationToken)
    {
        if (Interlocked.Increment(ref _startedCount) >= signalAfterStarted)
        {
            _started.TrySetResult();
        }

        await _gate.Task.WaitAsync(cancellationToken);
        return new FetchResult { Url = item.Text, Source = item.Source, Line = item.Line, Outcome = FetchOutcome.Succeeded, StatusCode = 200, Attempts = 1 };
    }
}
