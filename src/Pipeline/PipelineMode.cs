namespace Pipeline;

/// <summary>How the consumers of a run are arranged.</summary>
public enum PipelineMode
{
    /// <summary>One consumer: one fetch at a time, like a plain <c>foreach</c> loop.</summary>
    Sequential,

    /// <summary><see cref="PipelineOptions.Concurrency"/> consumers read the same channel.</summary>
    Concurrent,

    /// <summary>Runs the same list sequentially, then concurrently, and reports the speedup.</summary>
    Compare,
}
