using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.Worker.Hosting.Service;

/// <summary>Passes a batch's events to the progress display and keeps its counters, so the service loop can tell whether the batch moves.</summary>
/// <param name="inner">The progress display.</param>
internal sealed class BatchObserver(IRunObserver inner) : IRunObserver
{
    private RunCounters? _counters;

    /// <summary>Gets how many URLs the current run has finished.</summary>
    public long Completed => Volatile.Read(ref _counters)?.Completed ?? 0;

    /// <summary>Gets how many fetches of the current run are under way.</summary>
    public long InFlight => Volatile.Read(ref _counters)?.InFlight ?? 0;

    /// <summary>Gets a number that grows while the run reads or finishes URLs; it stands still when the pipeline hangs.</summary>
    public long Progress => Volatile.Read(ref _counters) is { } counters ? counters.Enqueued + counters.Completed : 0;

    public void OnRunStarted(RunPlan plan, RunCounters counters)
    {
        Volatile.Write(ref _counters, counters);
        inner.OnRunStarted(plan, counters);
    }

    public void OnProducerBlocked(WorkItem item) => inner.OnProducerBlocked(item);

    public void OnFetchStarted(WorkItem item, int consumerId) => inner.OnFetchStarted(item, consumerId);

    public void OnRunCompleted(RunSummary summary) => inner.OnRunCompleted(summary);
}
