namespace Pipeline.Sources;

/// <summary>Turns one input line into a work item, or skips it.</summary>
internal static class UrlLineParser
{
    /// <summary>Lines longer than this are refused rather than parsed: no real URL needs more.</summary>
    public const int MaxUrlLength = 8 * 1024;

    /// <summary>Parses a line of a URL list.</summary>
    /// <param name="source">The source name, for the item.</param>
    /// <param name="line">The 1-based line number.</param>
    /// <param name="text">The line as read.</param>
    /// <returns>The item, or <see langword="null"/> for a blank line or a <c>#</c> comment.</returns>
    public static WorkItem? Parse(string source, long line, string text)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.IsEmpty || trimmed[0] == '#')
        {
            return null;
        }

        var value = trimmed.ToString();
        var (url, error) = Validate(value);
        return new WorkItem(source, line, value, url, error);
    }

    private static (Uri? Url, string? Error) Validate(string value)
    {
        if (value.Length > MaxUrlLength)
        {
            return (null, $"line is {value.Length} characters long; a URL may have at most {MaxUrlLength}");
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
