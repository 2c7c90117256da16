namespace Pipeline.Running;

/// <summary>The same list run sequentially and concurrently, side by side.</summary>
/// <param name="Sequential">The sequential run.</param>
/// <param name="Concurrent">The concurrent run.</param>
public sealed record ComparisonReport(RunSummary Sequential, RunSummary Concurrent)
{
    /// <summary>Gets how many times faster the concurrent run was.</summary>
    public double Speedup => Concurrent.Wall > TimeSpan.Zero ? Sequential.Wall / Concurrent.Wall : 0;

    /// <summary>Gets the number of rounds N URLs take over C consumers when every fetch takes as long.</summary>
    public long IdealRounds => Concurrent.Attempted == 0 ? 0 : (Concurrent.Attempted + Concurrent.Consumers - 1) / Concurrent.Consumers;

    /// <summary>Gets the speedup C consumers would give if every fetch took the same time and nothing else cost anything.</summary>
    /// <remarks>N URLs over C consumers take ⌈N/C⌉ rounds instead of N, so the ideal is N / ⌈N/C⌉ — C when N is a multiple of C.</remarks>
    public double IdealSpeedup => IdealRounds == 0 ? 1 : Concurrent.Attempted / (double)IdealRounds;

    /// <summary>Gets the speedup as a fraction of the ideal.</summary>
    public double OfIdeal => IdealSpeedup > 0 ? Speedup / IdealSpeedup : 0;

    /// <summary>Gets a value indicating whether either run had results other than successes and skipped duplicates, which would flatter the speedup.</summary>
    public bool HasFailures => Sequential.HasFailures || Concurrent.HasFailures;
}
