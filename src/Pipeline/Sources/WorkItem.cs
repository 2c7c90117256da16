namespace Pipeline.Sources;

/// <summary>One input line on its way through the pipeline.</summary>
/// <param name="Source">The name of the source the line came from (a file path, <c>settings</c>, <c>demo</c>).</param>
/// <param name="Line">The 1-based line (or list position) in that source.</param>
/// <param name="Text">The line as read, trimmed.</param>
/// <param name="Url">The parsed URL, or <see langword="null"/> when the line is not usable.</param>
/// <param name="Error">Why the line is not usable, or <see langword="null"/>.</param>
public sealed record WorkItem(string Source, long Line, string Text, Uri? Url, string? Error)
{
    /// <summary>Gets the timestamp (<see cref="TimeProvider.GetTimestamp"/>) at which the item entered the work channel.</summary>
    public long EnqueuedTimestamp { get; internal set; }

    /// <summary>Gets where the same URL was seen first (<c>source:line</c>), when this item repeats it and is not fetched again.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>Gets what the source attached to the item and needs back with its result (a broker's acknowledgement), or <see langword="null"/>.</summary>
    /// <remarks>Opaque to the pipeline: it is passed to the result and acknowledged by the sink stage once the result is durable.</remarks>
    public IWorkDelivery? Delivery { get; init; }

    /// <summary>Gets a value indicating whether the line parsed into a URL that can be fetched.</summary>
    public bool IsValid => Url is not null;
}
