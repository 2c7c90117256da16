namespace Pipeline.State;

/// <summary>How far a stopped run got in one source.</summary>
/// <param name="Source">The source name.</param>
/// <param name="Fingerprint">The source's fingerprint when the run stopped; a changed source is read from the start.</param>
/// <param name="Pulled">How many items were taken from it.</param>
/// <param name="LastLine">The line of the last item taken.</param>
/// <param name="Exhausted">Whether it had been read to the end.</param>
public sealed record Checkpoint(string Source, string Fingerprint, long Pulled, long LastLine, bool Exhausted);
