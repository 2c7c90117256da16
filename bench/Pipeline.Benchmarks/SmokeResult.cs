namespace Pipeline.Benchmarks;

/// <summary>One benchmark method called once by the smoke run.</summary>
/// <param name="Name">The class, method and parameters, as BenchmarkDotNet would name the case.</param>
/// <param name="Expected">The count the method had to return.</param>
/// <param name="Actual">The count it returned.</param>
/// <param name="Elapsed">How long the call took (for the reader only: nothing is asserted on it).</param>
internal sealed record SmokeResult(string Name, long Expected, long Actual, TimeSpan Elapsed)
{
    public bool Passed => Expected == Actual;
}
