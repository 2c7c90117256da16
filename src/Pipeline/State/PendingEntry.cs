using Pipeline.Sources;

namespace Pipeline.State;

/// <summary>One line read but not settled, saved exactly enough to be settled as the original would have been.</summary>
/// <param name="Source">The source it came from.</param>
/// <param name="Line">Its line in that source.</param>
/// <param name="Text">The line as read (for a refused over-long line, the shortened text the result shows).</param>
/// <param name="Error">Why the line is invalid, or <see langword="null"/> for a URL to fetch.</param>
/// <param name="DuplicateOf">Where the same URL was first seen, when the line is a repeat not to fetch.</param>
public sealed record PendingEntry(string Source, long Line, string Text, string? Error, string? DuplicateOf)
{
    /// <summary>Captures a work item.</summary>
    /// <param name="item">The item.</param>
    /// <returns>The entry.</returns>
    public static PendingEntry Of(WorkItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(item.Source, item.Line, item.Text, item.IsValid ? null : item.Error ?? "not a URL", item.DuplicateOf);
    }

    /// <summary>Turns the entry back into the work item it was, without parsing an invalid line again.</summary>
    /// <returns>The item.</returns>
    public WorkItem ToWorkItem()
    {
        var item = Error is null
            ? UrlLineParser.ParseEntry(Source, Line, Text) ?? new WorkItem(Source, Line, Text, null, "not a URL")
            : new WorkItem(Source, Line, Text, null, Error);
        return DuplicateOf is null ? item : item with { DuplicateOf = DuplicateOf };
    }
}
