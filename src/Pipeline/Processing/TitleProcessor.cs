namespace Pipeline.Processing;

/// <summary>The <c>title</c> step: the text of the page's first <c>&lt;title&gt;</c> element, or <see langword="null"/>.</summary>
internal sealed class TitleProcessor : IResultProcessor
{
    public const string StepName = "title";

    // A title longer than this is somebody's mistake; the record need not carry it all.
    private const int MaxChars = 1000;

    public string Name => StepName;

    public bool NeedsBody => true;

    public ValueTask ProcessAsync(ProcessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Output.Set(StepName, Find(context.Body.Span));
        return ValueTask.CompletedTask;
    }

    internal static string? Find(ReadOnlySpan<byte> html)
    {
        while (true)
        {
            var start = HtmlScan.IndexOfIgnoreCase(html, "<title"u8);
            if (start < 0)
            {
                return null;
            }

            html = html[(start + 6)..];

            // "<title>" or "<title lang=…>", not "<titles>".
            if (html.IsEmpty || !(html[0] == (byte)'>' || HtmlScan.IsSpace(html[0])))
            {
                continue;
            }

            var open = html.IndexOf((byte)'>');
            if (open < 0)
            {
                return null;
            }

            html = html[(open + 1)..];
            var end = HtmlScan.IndexOfIgnoreCase(html, "</title"u8);

            // No end tag: the body was cut (MaxBodyBytes) inside the title; what is there is the title so far.
            return HtmlScan.Text(end < 0 ? html : html[..end], MaxChars);
        }
    }
}
