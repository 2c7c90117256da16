namespace Pipeline.State;

/// <summary>What <see cref="DurableFile.RepairTail"/> did to a file's partial last line.</summary>
/// <param name="Action">Nothing, trimmed or ended.</param>
/// <param name="Bytes">How long the partial line was.</param>
public readonly record struct TailRepair(TailRepairAction Action, long Bytes)
{
    /// <summary>Gets the value for a file that already ended at a line boundary.</summary>
    public static TailRepair None => default;
}
