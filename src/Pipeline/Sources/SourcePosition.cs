namespace Pipeline.Sources;

/// <summary>How far a producer got in its source.</summary>
/// <param name="Pulled">How many items it took from the source.</param>
/// <param name="LastLine">The line number of the last item it took (0 when none).</param>
/// <param name="Exhausted">Whether it read the source to the end.</param>
public sealed record SourcePosition(long Pulled, long LastLine, bool Exhausted);
