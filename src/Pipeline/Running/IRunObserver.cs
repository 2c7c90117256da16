using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>Hooks into a run for progress displays and tests; every method has a no-op default.</summary>
/// <remarks>Methods are called on pipeline threads and must return quickly.</remarks>
public interface IRunObserver
{
    /// <summary>Called when a run starts, with the counters it will update.</summary>
    /// <param name="plan">The run's plan.</param>
    /// <param name="counters">The live counters.</param>
    void OnRunStarted(RunPlan plan, RunCounters counters)
    {
    }

    /// <summary>Called when a producer found the work channel full and waits for room.</summary>
    /// <param name="item">The item the producer waits to write.</param>
    void OnProducerBlocked(WorkItem item)
    {
    }

    /// <summary>Called when a consumer starts fetching an item.</summary>
    /// <param name="item">The item.</param>
    /// <param name="consumerId">The consumer.</param>
    void OnFetchStarted(WorkItem item, int consumerId)
    {
    }

    /// <summary>Called when the run has ended and its sink has drained.</summary>
    /// <param name="summary">What the run did.</param>
    void OnRunCompleted(RunSummary summary)
    {
    }
}
