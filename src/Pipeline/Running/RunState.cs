using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>What the consumer stage and the runner share: the plan, the counters, the two stop signals and what is left over.</summary>
internal sealed class RunState(RunPlan plan, RunCounters counters, CancellationTokenSource stopping, CancellationTokenSource aborting)
{
    public RunPlan Plan { get; } = plan;

    public RunCounters Counters { get; } = counters;

    /// <summary>Gets the signal to stop reading sources and taking items.</summary>
    public CancellationTokenSource Stopping { get; } = stopping;

    /// <summary>Gets the signal to cancel fetches in flight (the grace period has ended).</summary>
    public CancellationTokenSource Aborting { get; } = aborting;

    /// <summary>Gets the items a consumer took in the instant the run was stopped, never started.</summary>
    public ConcurrentQueue<WorkItem> Strays { get; } = new();

    /// <summary>Gets the items read but not settled: cancelled in flight or left in the channel.</summary>
    public ConcurrentQueue<WorkItem> Unsettled { get; } = new();

    /// <summary>Gets the run's adaptive concurrency, or <see langword="null"/> when the number of consumers is fixed.</summary>
    public Concurrency.AdaptiveConcurrency? Adaptive { get; init; }

    /// <summary>Gets the link to the run span that fetches continuing another process's trace carry.</summary>
    public IEnumerable<ActivityLink> RunLinks { get; init; } = [];
}
