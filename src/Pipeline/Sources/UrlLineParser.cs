namespace Pipeline.Sources;

/// <summary>Turns one input line into a work item, or skips it: the one rule every source (and the broker's worker) applies.</summary>
/// <remarks>
/// Anything that is not an absolute http or https URL becomes an <em>invalid</em> item with its reason
/// rather than an exception, so it reaches the results with its source and line.
/// </remarks>
public static class UrlLineParser
{
    /// <summary>Lines longer than this are refused rather than parsed: no real URL needs more.</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Parses a line of a URL file, where blank lines and <c>#</c> comments are formatting.</summary>
    /// <param name="source">The source name, for the item.</param>
    /// <param name="line">The 1-based line number.</param>
    /// <param name="text">The line as read (possibly cut short).</param>
    /// <param name="length">The line's full length, when <paramref name="text"/> was cut short.</param>
    /// <returns>The item, or <see langword="null"/> for a blank line or a <c>#</c> comment.</returns>
    public static WorkItem? Parse(string source, long line, string text, long length = -1)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed[0] == '#')
        {
            return null;
        }

        return Item(source, line, trimmed.ToString(), Math.Max(length, text.Length));
    }

    /// <summary>Parses an entry of a URL list in the settings, where an empty entry is a mistake worth reporting.</summary>
    /// <param name="source">The source name, for the item.</param>
    /// <param name="position">The 1-based position in the list.</param>
    /// <param name="text">The entry.</param>
    /// <returns>The item, or <see langword="null"/> for a <c>#</c> comment.</returns>
    public static WorkItem? ParseEntry(string source, long position, string? text)
    {
        var trimmed = (text ?? string.Empty).Trim();
        if (trimmed.Length == 0)
        {
            return new WorkItem(source, position, string.Empty, null, "empty entry: a URL is required");
        }

        return trimmed[0] == '#' ? null : Item(source, position, trimmed, trimmed.Length);
    }

    private static WorkItem Item(string source, long line, string value, long length)
    {
        if (length > MaxUrlLength)
        {
            return new WorkItem(source, line, value[..Math.Min(value.Length, 200)] + "…", null, $"line is {length} characters long; a URL may have at most {MaxUrlLength}");
        }

        var (url, error) = Validate(value);
        return new WorkItem(source, line, value, url, error);
    }

    private static (Uri? Url, string? Error) Validate(string value)
    {
        if (value.Contains('\uFFFD', StringComparison.Ordinal))
        {
            return (null, "line is not valid UTF-8");
        }

        if (value.AsSpan().ContainsAny('\0', ' ', '\t'))
        {
            return (null, "URL contains whitespace or control characters");
        }

        if (!Uri.TryCreate(value, UriKind.RelativeOrAbsolute, out var uri))
        {
            return (null, "not a URL");
        }

        if (!uri.IsAbsoluteUri)
        {
            return (null, "relative URL: an absolute http or https URL is required");
        }

        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            return (null, $"unsupported scheme '{uri.Scheme}': only http and https are fetched");
        }

        return string.IsNullOrEmpty(uri.Host) ? (null, "URL has no host") : (uri, null);
    }
}
