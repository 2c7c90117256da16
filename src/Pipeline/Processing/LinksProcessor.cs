using System.Text;

namespace Pipeline.Processing;

/// <summary>
/// The <c>links</c> step: counts the absolute <c>http</c>/<c>https</c> links in <c>href</c> attributes
/// (<c>links</c>), and with <c>Pipeline:Process:ListLinks</c> lists them (<c>linkList</c>).
/// </summary>
/// <remarks>Each candidate is parsed with <see cref="Uri.TryCreate(string, UriKind, out Uri)"/>: on a page with many links, this is the CPU work the stage exists for.</remarks>
internal sealed class LinksProcessor : IResultProcessor
{
    public const string StepName = "links";

    public string Name => StepName;

    public bool NeedsBody => true;

    public ValueTask ProcessAsync(ProcessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var list = context.Options.ListLinks ? new List<string>() : null;
        context.Output.Set(StepName, Count(context.Body.Span, list, cancellationToken));
        if (list is not null)
        {
            context.Output.Set("linkList", list);
        }

        return ValueTask.CompletedTask;
    }

    internal static long Count(ReadOnlySpan<byte> html, List<string>? list, CancellationToken cancellationToken = default)
    {
        long count = 0;
        while (true)
        {
            var at = HtmlScan.IndexOfIgnoreCase(html, "href"u8);
            if (at < 0)
            {
                return count;
            }

            // An attribute of its own ("data-href" is not a link).
            var isAttribute = at > 0 && HtmlScan.IsSpace(html[at - 1]);
            html = html[(at + 4)..];
            if (!isAttribute || !TryValue(ref html, out var value))
            {
                continue;
            }

            if (IsAbsolute(value, out var link))
            {
                count++;
                list?.Add(link);
            }

            if ((count & 1023) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
    }

    // href = "value" | 'value' | value; html is advanced past it.
    private static bool TryValue(ref ReadOnlySpan<byte> html, out ReadOnlySpan<byte> value)
    {
        value = default;
        var i = 0;
        while (i < html.Length && HtmlScan.IsSpace(html[i]))
        {
            i++;
        }

        if (i >= html.Length || html[i] != (byte)'=')
        {
            return false;
        }

        i++;
        while (i < html.Length && HtmlScan.IsSpace(html[i]))
        {
            i++;
        }

        if (i >= html.Length)
        {
            return false;
        }

        int end;
        if (html[i] is (byte)'"' or (byte)'\'')
        {
            var quote = html[i++];
            end = html[i..].IndexOf(quote);
            if (end < 0)
            {
                return false;
            }

            end += i;
        }
        else
        {
            end = i;
            while (end < html.Length && !HtmlScan.IsSpace(html[end]) && html[end] != (byte)'>')
            {
                end++;
            }
        }

        value = html[i..end];
        html = html[end..];
        return true;
    }

    private static bool IsAbsolute(ReadOnlySpan<byte> value, out string link)
    {
        link = string.Empty;
        value = value.Trim(" \t\r\n"u8);
        if (value.Length < 8 || !Ascii.EqualsIgnoreCase(value[..4], "http"u8))
        {
            return false;
        }

        var text = HtmlScan.Text(value, int.MaxValue);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return false;
        }

        link = uri.AbsoluteUri;
        return true;
    }
}
