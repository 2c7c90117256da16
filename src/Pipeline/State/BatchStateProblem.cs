namespace Pipeline.State;

/// <summary>Why saved state stopped a start.</summary>
public enum BatchStateProblem
{
    /// <summary>Another process holds the state folder or the results file.</summary>
    Locked,

    /// <summary>The state belongs to a batch with other sources or another results file.</summary>
    OtherBatch,

    /// <summary>A state file is damaged (empty, cut short, not JSON, checksum or version wrong).</summary>
    Damaged,
}
