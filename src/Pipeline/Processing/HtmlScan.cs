using System.Net;
using System.Text;

namespace Pipeline.Processing;

/// <summary>Byte-level scanning of HTML for the built-in steps: no DOM, no decoding of the whole body to text.</summary>
/// <remarks>Good enough for titles and links of ordinary pages, and cheap per byte; a step that needs a real parser can bring one.</remarks>
internal static class HtmlScan
{
    /// <summary>Finds an ASCII pattern, ignoring ASCII case.</summary>
    /// <param name="html">Where to look.</param>
    /// <param name="pattern">What to find, lowercase; its first byte must be a non-letter or lowercase letter.</param>
    /// <returns>The index, or -1.</returns>
    public static int IndexOfIgnoreCase(ReadOnlySpan<byte> html, ReadOnlySpan<byte> pattern)
    {
        var first = pattern[0];
        var upper = (byte)char.ToUpperInvariant((char)first);
        var offset = 0;
        while (true)
        {
            var at = first == upper ? html[offset..].IndexOf(first) : html[offset..].IndexOfAny(first, upper);
            if (at < 0)
            {
                return -1;
            }

            var index = offset + at;
            if (html.Length - index < pattern.Length)
            {
                return -1;
            }

            if (Ascii.EqualsIgnoreCase(html.Slice(index, pattern.Length), pattern))
            {
                return index;
            }

            offset = index + 1;
        }
    }

    /// <summary>Decodes a stretch of UTF-8 HTML text: entities decoded, runs of whitespace made one space, trimmed.</summary>
    /// <param name="utf8">The bytes.</param>
    /// <param name="maxChars">The most characters returned.</param>
    /// <returns>The text.</returns>
    public static string Text(ReadOnlySpan<byte> utf8, int maxChars)
    {
        var raw = Encoding.UTF8.GetString(utf8);
        if (raw.Contains('&', StringComparison.Ordinal))
        {
            raw = WebUtility.HtmlDecode(raw);
        }

        var text = new StringBuilder(Math.Min(raw.Length, maxChars));
        var space = false;
        foreach (var c in raw.AsSpan().Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
            if (text.Length >= maxChars)
            {
                break;
            }
        }

        return text.ToString();
    }

    public static bool IsSpace(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or (byte)'\f';
}
