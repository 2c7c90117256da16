namespace Pipeline.Benchmarks.Support;

/// <summary>What the smoke run needs from a benchmark class: a size small enough for seconds, and the count every benchmark method must return.</summary>
internal interface ISmokeable
{
    /// <summary>Gets the number of operations (URLs, results, items) one call of each benchmark method must report.</summary>
    long ExpectedCount { get; }

    /// <summary>Shrinks the work of one call; called before the global setup.</summary>
    void UseSmokeSize();
}
