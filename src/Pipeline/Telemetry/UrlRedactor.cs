using System.Collections.Frozen;
using System.Text;

namespace Pipeline.Telemetry;

/// <summary>
/// The one place that decides how a URL looks when it leaves the process: in telemetry (span attributes,
/// span status, log lines, the trace report) and in the results file. State files and broker messages
/// never go through it: they must reproduce the URL exactly.
/// </summary>
/// <remarks>
/// <para>Everywhere: userinfo (<c>http://user:s3cr3t@host/</c>) becomes <c>REDACTED:REDACTED@</c>, as the
/// OpenTelemetry conventions for <c>url.full</c> ask, and the value of every query parameter named in
/// <see cref="TelemetryOptions.SensitiveQueryParameters"/> becomes <c>REDACTED</c>.</para>
/// <para>In telemetry, in addition, the query string is shown as <c>?*</c> (as HttpClient's own spans show
/// it) and a fragment as <c>#*</c>, unless <see cref="TelemetryOptions.ShowQueryStrings"/> is set; with
/// <see cref="TelemetryOptions.SafeQueryParameters"/> listed, those parameters keep their values and the
/// others read <c>name=*</c>.</para>
/// <para>Works on the text as written (no parsing and re-serialising), so a URL stays recognisable, and
/// on URLs inside free text such as error messages (<c>302 from http://a/ to http://b/</c>).</para>
/// </remarks>
public sealed class UrlRedactor
{
    /// <summary>What replaces userinfo and the values of sensitive parameters.</summary>
    public const string Redacted = "REDACTED";

    private const string RedactedUserInfo = Redacted + ":" + Redacted + "@";

    private readonly bool _showQueryStrings;
    private readonly FrozenSet<string> _safe;
    private readonly FrozenSet<string> _sensitive;

    /// <summary>Initializes a new instance of the <see cref="UrlRedactor"/> class from the telemetry options.</summary>
    /// <param name="options">The options.</param>
    public UrlRedactor(TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _showQueryStrings = options.ShowQueryStrings;
        _safe = (options.SafeQueryParameters ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        _sensitive = PipelineDefaults.SensitiveQueryParameters.Concat(options.SensitiveQueryParameters ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets a redactor with the default settings: what applies when nothing is configured.</summary>
    public static UrlRedactor Default { get; } = new(new TelemetryOptions());

    /// <summary>A URL as span attributes, span status, logs and the report show it.</summary>
    /// <param name="url">The URL as written.</param>
    /// <returns>The URL without userinfo, and with its query string redacted unless configured otherwise.</returns>
    public string ForTelemetry(string url) => RedactUrl(url, telemetry: true);

    /// <summary>A URL as the results file shows it.</summary>
    /// <param name="url">The URL as written.</param>
    /// <returns>The URL without userinfo and with sensitive parameter values masked; the rest as written.</returns>
    public string ForResults(string url) => RedactUrl(url, telemetry: false);

    /// <summary>Free text (an error message) with every URL in it redacted as <see cref="ForTelemetry"/> does.</summary>
    /// <param name="text">The text, or <see langword="null"/>.</param>
    /// <returns>The redacted text.</returns>
    public string? TextForTelemetry(string? text) => RedactText(text, telemetry: true);

    /// <summary>Free text (an error message) with every URL in it redacted as <see cref="ForResults"/> does.</summary>
    /// <param name="text">The text, or <see langword="null"/>.</param>
    /// <returns>The redacted text.</returns>
    public string? TextForResults(string? text) => RedactText(text, telemetry: false);

    private string? RedactText(string? text, bool telemetry)
    {
        if (text is null || !text.Contains("://", StringComparison.Ordinal))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 32);
        var copied = 0;
        var search = 0;
        int separator;
        while ((separator = text.IndexOf("://", search, StringComparison.Ordinal)) > 0)
        {
            var start = separator;
            while (start > 0 && IsSchemeChar(text[start - 1]))
            {
                start--;
            }

            var end = separator + 3;
            while (end < text.Length && !IsUrlEnd(text[end]))
            {
                end++;
            }

            // Punctuation that closes the sentence around the URL is not part of it.
            while (end > separator + 3 && text[end - 1] is ')' or ']' or ',' or ';' or '.' or ':')
            {
                end--;
            }

            if (start == separator || start < copied)
            {
                search = separator + 3;
                continue;
            }

            builder.Append(text, copied, start - copied).Append(RedactUrl(text[start..end], telemetry));
            copied = end;
            search = end;
        }

        return copied == 0 ? text : builder.Append(text, copied, text.Length - copied).ToString();
    }

    private string RedactUrl(string url, bool telemetry)
    {
        ArgumentNullException.ThrowIfNull(url);
        var separator = url.IndexOf("://", StringComparison.Ordinal);
        var authorityStart = separator < 0 ? 0 : separator + 3;
        var authorityEnd = separator < 0 ? 0 : url.AsSpan(authorityStart).IndexOfAny("/?#\\");
        authorityEnd = separator < 0 ? 0 : authorityEnd < 0 ? url.Length : authorityStart + authorityEnd;

        // The last '@' of the authority ends the userinfo, as for Uri: a password may hold an unescaped '@'.
        var at = separator < 0 ? -1 : url.AsSpan(authorityStart, authorityEnd - authorityStart).LastIndexOf('@');
        var fragment = url.IndexOf('#', authorityEnd);
        var query = url.IndexOf('?', authorityEnd);
        if (fragment >= 0 && query > fragment)
        {
            query = -1;
        }

        if (at < 0 && fragment < 0 && (query < 0 || (!telemetry && !HasSensitiveParameter(url.AsSpan(query + 1)))))
        {
            // Nothing to mask: the results file writes most URLs as they are, and this spares each of
            // them a builder and a string per parameter (issue 20).
            return url;
        }

        var builder = new StringBuilder(url.Length + 16);
        if (at >= 0)
        {
            builder.Append(url, 0, authorityStart).Append(RedactedUserInfo).Append(url, authorityStart + at + 1, authorityEnd - authorityStart - at - 1);
        }
        else
        {
            builder.Append(url, 0, authorityEnd);
        }

        var pathEnd = query >= 0 ? query : fragment >= 0 ? fragment : url.Length;
        builder.Append(url, authorityEnd, pathEnd - authorityEnd);
        if (query >= 0)
        {
            builder.Append('?');
            AppendQuery(builder, url.AsSpan(query + 1, (fragment >= 0 ? fragment : url.Length) - query - 1), telemetry);
        }

        if (fragment >= 0)
        {
            builder.Append('#');
            if (telemetry && !_showQueryStrings && fragment + 1 < url.Length)
            {
                builder.Append('*');
            }
            else
            {
                builder.Append(url, fragment + 1, url.Length - fragment - 1);
            }
        }

        return builder.ToString();
    }

    private void AppendQuery(StringBuilder builder, ReadOnlySpan<char> query, bool telemetry)
    {
        var hidden = telemetry && !_showQueryStrings;
        if (query.IsEmpty || (hidden && _safe.Count == 0))
        {
            // All or nothing, as HttpClient does: "?*".
            builder.Append(query.IsEmpty ? string.Empty : "*");
            return;
        }

        var first = true;
        foreach (var range in query.Split('&'))
        {
            var parameter = query[range];
            var equals = parameter.IndexOf('=');
            var name = equals < 0 ? parameter : parameter[..equals];
            if (!first)
            {
                builder.Append('&');
            }

            first = false;
            var decoded = Uri.UnescapeDataString(name.ToString()).Replace('+', ' ');
            if (_sensitive.Contains(decoded))
            {
                builder.Append(name).Append('=').Append(Redacted);
            }
            else if (!hidden || _safe.Contains(decoded))
            {
                builder.Append(parameter);
            }
            else
            {
                builder.Append(equals < 0 ? "*" : string.Concat(name, "=*"));
            }
        }
    }

    // Whether AppendQuery would mask a value: the same decoding, but without allocating for the
    // usual names, which hold no escapes.
    private bool HasSensitiveParameter(ReadOnlySpan<char> query)
    {
        var lookup = _sensitive.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var range in query.Split('&'))
        {
            var parameter = query[range];
            var equals = parameter.IndexOf('=');
            var name = equals < 0 ? parameter : parameter[..equals];
            if (name.ContainsAny('%', '+')
                ? _sensitive.Contains(Uri.UnescapeDataString(name.ToString()).Replace('+', ' '))
                : lookup.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSchemeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.';

    private static bool IsUrlEnd(char c) => char.IsWhiteSpace(c) || c is '"' or '\'' or '<' or '>' or '`';
}
