using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>What the stages of one run share: the plan, the counters, the two stop signals and what is left over.</summary>
internal sealed class RunState(RunPlan plan, RunCounters counters, CancellationTokenSource stopping, CancellationTokenSource aborting)
{
    public RunPlan Plan { get; } = plan;

    public RunCounters Counters { get; } = counters;

    /// <summary>Gets the signal to stop reading sources and taking items.</summary>
    public CancellationTokenSource Stopping { get; } = stopping;

    /// <summary>Gets the signal to cancel fetches in flight (the grace period has ended).</summary>
    public CancellationTokenSource Aborting { get; } = aborting;

    /// <summary>Gets the tracker of URLs taken so far, or <see langword="null"/> when repeats are fetched.</summary>
    public DuplicateTracker? Duplicates { get; } = plan.Duplicates == DuplicatePolicy.Skip ? new DuplicateTracker() : null;

    /// <summary>Gets the items read but never started because the run was stopping: held by a producer, or taken by a consumer in the instant of the stop.</summary>
    public ConcurrentQueue<WorkItem> Strays { get; } = new();

    /// <summary>Gets the items read but not settled: cancelled in flight or left in the channel.</summary>
    public ConcurrentQueue<WorkItem> Unsettled { get; } = new();

    /// <summary>Gets how far each producer got, by source index.</summary>
    public SourcePosition[] Positions { get; } = [.. plan.Sources.Select(_ => new SourcePosition(0, 0, false))];

    /// <summary>Gets the link to the run span that fetches continuing another process's trace carry.</summary>
    public IEnumerable<ActivityLink> RunLinks { get; init; } = [];
}
