namespace Pipeline.Concurrency;

/// <summary>The limit took this value at this offset from the start of the run.</summary>
/// <param name="At">The offset from the start of the run.</param>
/// <param name="Limit">The limit from then on.</param>
public readonly record struct LimitPoint(TimeSpan At, int Limit);
