using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenTelemetry;

namespace Pipeline.Telemetry;

/// <summary>
/// Writes one compact, aligned line per span: offset from the start of its run, duration, name,
/// trace and span ids, then the span's key attributes. No colours and no multi-line records, so
/// the output reads the same in a terminal, a pipe and journald.
/// </summary>
/// <param name="writer">Where the lines go (the worker's standard error).</param>
/// <param name="logger">Reports a writer that fails, once.</param>
internal sealed class CompactSpanExporter(TextWriter writer, ILogger logger) : BaseExporter<Activity>
{
    // Which attributes make a line useful, in the order they are printed; an empty label prints the bare value.
    private static readonly (string Key, string Label)[] KeyAttributes =
    [
        (SpanAttributes.Mode, "mode="),
        (SpanAttributes.Concurrency, "consumers="),
        (SpanAttributes.ChannelCapacity, "capacity="),
        (SpanAttributes.Urls, "urls="),
        (SpanAttributes.Source, "source="),
        (SpanAttributes.Items, "items="),
        (SpanAttributes.HttpResponseStatusCode, string.Empty),
        (SpanAttributes.HttpRequestMethod, string.Empty),
        (SpanAttributes.UrlFull, string.Empty),
        (SpanAttributes.ConsumerId, "consumer="),
        (SpanAttributes.Attempt, "attempt="),
        (SpanAttributes.Bytes, "bytes="),
        (SpanAttributes.ChannelWaitMs, "wait_ms="),
        (SpanAttributes.ErrorType, "error="),
    ];

    private int _failures;

    /// <inheritdoc/>
    public override ExportResult Export(in Batch<Activity> batch)
    {
        try
        {
            var text = new StringBuilder();
            foreach (var span in batch)
            {
                text.Append(Format(span)).Append('\n');
            }

            writer.Write(text.ToString());
            writer.Flush();
            return ExportResult.Success;
        }
#pragma warning disable CA1031 // An exporter must never throw at the host: a closed or broken stderr is reported, not fatal.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (Interlocked.Increment(ref _failures) == 1)
            {
                Log.CompactExportFailed(logger, ex);
            }

            return ExportResult.Failure;
        }
    }

    /// <summary>Formats one span as a line, without the newline.</summary>
    /// <param name="span">The ended span.</param>
    /// <returns>The line.</returns>
    internal static string Format(Activity span)
    {
        // Offsets count from the root of the span's local tree: the run, for pipeline spans.
        var root = span;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        var offset = (span.StartTimeUtc - root.StartTimeUtc).TotalSeconds;
        var line = new StringBuilder(160);
        line.Append(CultureInfo.InvariantCulture, $"+{offset,8:0.000}s {span.Duration.TotalMilliseconds,9:0.0}ms  {span.DisplayName,-13} {span.TraceId.ToHexString()} {span.SpanId.ToHexString()} ");
        foreach (var (key, label) in KeyAttributes)
        {
            if (span.GetTagItem(key) is { } value)
            {
                line.Append(' ').Append(label).Append(Value(value));
            }
        }

        if (span.Status == ActivityStatusCode.Error)
        {
            line.Append("  ERROR");
            if (!string.IsNullOrEmpty(span.StatusDescription))
            {
                line.Append(": ").Append(span.StatusDescription.ReplaceLineEndings(" "));
            }
        }

        return line.ToString();
    }

    private static string Value(object value) => value switch
    {
        double number => number.ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}
