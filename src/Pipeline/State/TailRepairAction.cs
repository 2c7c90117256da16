namespace Pipeline.State;

/// <summary>What was done to a partial last line.</summary>
public enum TailRepairAction
{
    /// <summary>The file ended at a line boundary.</summary>
    None,

    /// <summary>The partial line was cut off.</summary>
    Trimmed,

    /// <summary>The partial line was ended with a newline and kept.</summary>
    Ended,
}
