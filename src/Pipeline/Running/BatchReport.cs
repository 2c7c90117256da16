using Pipeline.Telemetry;

namespace Pipeline.Running;

/// <summary>What one batch did: one run, or two with their comparison.</summary>
/// <param name="Runs">The runs in the order they ran.</param>
/// <param name="Comparison">The comparison, in <see cref="PipelineMode.Compare"/> mode when both runs completed.</param>
/// <param name="Output">The results file.</param>
public sealed record BatchReport(IReadOnlyList<RunSummary> Runs, ComparisonReport? Comparison, string Output)
{
    /// <summary>Gets a value indicating whether the batch continued a stopped one (pending URLs first, sources after their checkpoints).</summary>
    public bool Resumed { get; init; }

    /// <summary>Gets the number of URLs saved as pending for the next start, when the batch was stopped.</summary>
    public long SavedPending { get; init; }

    /// <summary>Gets a value indicating whether a stopped batch saved its state (checkpoint and pending ledger) durably, so that the same command resumes it.</summary>
    public bool StateSaved { get; init; }

    /// <summary>Gets the folder holding the saved state, when there is any.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Gets why the batch kept no state although it would have (standard input, standard output), or <see langword="null"/>.</summary>
    /// <remarks>A stop of such a batch saves nothing: running the command again starts over.</remarks>
    public string? NotResumable { get; init; }

    /// <summary>Gets a value indicating whether the URLs a stopped run held went back to their source (a broker queue) instead of a pending file.</summary>
    public bool ReturnedToSource { get; init; }

    /// <summary>Gets a value indicating whether any run had results other than successes and skipped duplicates.</summary>
    public bool HasFailures => Runs.Any(r => r.HasFailures);

    /// <summary>Gets a value indicating whether the batch was stopped before it finished.</summary>
    public bool Interrupted => Runs.Any(r => r.Interrupted);

    /// <summary>Gets the fetch spans and overlap figures of each traced run, in the order they ran; empty when telemetry was not started.</summary>
    public IReadOnlyList<RunTrace> Traces { get; init; } = [];

    /// <summary>Gets the HTML trace report written for the batch, or <see langword="null"/> when none was.</summary>
    public string? TraceReport { get; init; }
}
