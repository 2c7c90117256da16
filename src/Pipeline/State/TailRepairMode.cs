namespace Pipeline.State;

/// <summary>How to repair a partial last line before appending.</summary>
public enum TailRepairMode
{
    /// <summary>Cut it off: it is a record whose write was torn, and it will be written again.</summary>
    Trim,

    /// <summary>End it with a newline: keep the bytes for a person to look at; readers see one bad line.</summary>
    End,
}
