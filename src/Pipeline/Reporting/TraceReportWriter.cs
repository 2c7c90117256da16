using System.Globalization;
using System.Net;
using System.Text;
using Pipeline.Telemetry;

namespace Pipeline.Reporting;

/// <summary>
/// Writes the HTML trace report: one waterfall per run, a bar per <c>fetch url</c> span, every run
/// on the same time scale so sequential and concurrent can be compared at a glance.
/// </summary>
/// <remarks>
/// Self-contained on purpose (inline CSS and SVG, no script, no font or CDN): it opens from a file
/// share, an air-gapped host or a CI artefact. Hovering a bar shows its attributes through the
/// SVG <c>title</c>, which every browser renders without code.
/// </remarks>
internal static class TraceReportWriter
{
    private const int PlotWidth = 1100;
    private const int Gutter = 40;
    private const int AxisHeight = 24;

    // Rows shrink as spans grow so both runs of a comparison fit one screen; past that the page scrolls.
    private const int PlotHeightBudget = 200;
    private const int MaxRowHeight = 10;
    private const int MinRowHeight = 2;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static async Task WriteAsync(string path, IReadOnlyList<RunTrace> traces, DateTimeOffset generatedAt, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await File.WriteAllTextAsync(path, Render(traces, generatedAt), Encoding.UTF8, cancellationToken);
    }

    public static string Render(IReadOnlyList<RunTrace> traces, DateTimeOffset generatedAt)
    {
        ArgumentNullException.ThrowIfNull(traces);
        var scale = traces.Select(t => t.Extent).DefaultIfEmpty(TimeSpan.FromSeconds(1)).Max();
        if (scale <= TimeSpan.Zero)
        {
            scale = TimeSpan.FromSeconds(1);
        }

        var html = new StringBuilder(64 * 1024);
        html.Append("""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Pipeline trace report</title>
            <style>
            body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430; background: #f6f7f9; margin: 24px; }
            h1 { font-size: 20px; margin: 0 0 4px; }
            h2 { font-size: 15px; margin: 0 0 6px; }
            .meta { color: #5a6372; margin-bottom: 16px; }
            .run { background: #fff; border: 1px solid #dde1e7; border-radius: 8px; padding: 12px 16px; margin-bottom: 16px; }
            .figures { color: #3a4352; margin-bottom: 8px; font-variant-numeric: tabular-nums; }
            .figures b { color: #1d2430; }
            .note { color: #a15c00; }
            .speedup { font-size: 15px; margin: 0 0 14px; }
            .legend span { display: inline-block; margin-right: 14px; }
            .legend i { display: inline-block; width: 12px; height: 12px; border-radius: 2px; vertical-align: -1px; margin-right: 4px; }
            svg text { font: 11px system-ui, sans-serif; fill: #5a6372; }
            .grid { stroke: #e8ebef; }
            .bar { stroke: none; }
            .bar:hover { stroke: #1d2430; stroke-width: 1.5; }
            .succeeded { fill: #2e9e5b; } .http_error { fill: #e69a28; } .failed { fill: #d64541; }
            .cancelled { fill: #8a8f98; } .unknown { fill: #5b7bd5; }
            .limit { fill: none; stroke: #6b3fa0; stroke-width: 2; stroke-linejoin: round; }
            svg text.limit-label { fill: #6b3fa0; }
            code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; }
            </style>
            </head>
            <body>
            <h1>Pipeline trace report</h1>

            """);
        html.Append(Invariant, $"<div class=\"meta\">Generated {generatedAt:yyyy-MM-dd HH:mm:ss} UTC &middot; one bar per <code>fetch url</code> span, every run on the same time scale (0 to {scale.TotalSeconds:0.000} s) &middot; hover a bar for its attributes</div>\n");
        html.Append("""
            <div class="legend" style="margin-bottom:12px"><span><i style="background:#2e9e5b"></i>succeeded</span><span><i style="background:#e69a28"></i>HTTP error</span><span><i style="background:#d64541"></i>failed</span><span><i style="background:#8a8f98"></i>cancelled</span><span><i style="background:#6b3fa0;height:3px;vertical-align:3px"></i>adaptive limit (auto), right-hand scale</span></div>

            """);
        if (traces.FirstOrDefault(t => t.Mode == PipelineMode.Sequential) is { } sequential
            && traces.FirstOrDefault(t => t.Mode == PipelineMode.Concurrent) is { Duration.Ticks: > 0 } concurrent)
        {
            html.Append(Invariant, $"<div class=\"speedup\">Concurrent run: {concurrent.Duration.TotalSeconds:0.000} s instead of {sequential.Duration.TotalSeconds:0.000} s, <b>{sequential.Duration / concurrent.Duration:0.0}x</b> faster over the same URLs</div>\n");
        }

        foreach (var trace in traces)
        {
            AppendRun(html, trace, scale);
        }

        if (traces.Count == 0)
        {
            html.Append("<p>No run was traced.</p>\n");
        }

        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendRun(StringBuilder html, RunTrace trace, TimeSpan scale)
    {
        var title = trace.Mode == PipelineMode.Sequential
            ? "Sequential run, 1 consumer"
            : trace.Limit.Count > 0
                ? string.Create(Invariant, $"Concurrent run, adaptive consumers (up to {trace.Consumers})")
                : string.Create(Invariant, $"Concurrent run, {trace.Consumers} consumers");
        html.Append(Invariant, $"<section class=\"run\" data-mode=\"{WireNames.Mode(trace.Mode)}\">\n<h2>{title}</h2>\n");
        html.Append(Invariant, $"<div class=\"figures\"><b>{trace.SpanCount}</b> fetch spans in <b>{trace.Duration.TotalSeconds:0.000} s</b> &middot; open at once: peak <b>{trace.PeakOverlap}</b>, mean <b>{trace.MeanOverlap:0.00}</b> &middot; trace <code>{trace.TraceId}</code></div>\n");
        if (trace.Capped)
        {
            html.Append(Invariant, $"<div class=\"note\">Capped: showing the first {trace.Spans.Count} of {trace.SpanCount} spans (Pipeline:Telemetry:ReportSpanLimit). The figures above count them all.</div>\n");
        }

        var rows = trace.Spans.Count;
        var rowHeight = Math.Clamp(rows == 0 ? MaxRowHeight : PlotHeightBudget / rows, MinRowHeight, MaxRowHeight);
        var height = AxisHeight + (rows * rowHeight) + 4;
        html.Append(Invariant, $"<svg width=\"{PlotWidth + (2 * Gutter)}\" height=\"{height}\" role=\"img\" aria-label=\"{title} waterfall\">\n");
        AppendAxis(html, scale, height);
        for (var i = 0; i < rows; i++)
        {
            var span = trace.Spans[i];
            var x = Gutter + (span.Start / scale * PlotWidth);
            var width = Math.Max(1.5, span.Duration / scale * PlotWidth);
            var y = AxisHeight + (i * rowHeight);
            var barHeight = Math.Max(1, rowHeight - 1);
            html.Append(Invariant, $"<rect class=\"bar {Css(span.Outcome)}\" x=\"{x:0.##}\" y=\"{y}\" width=\"{width:0.##}\" height=\"{barHeight}\" rx=\"1.5\"><title>{Tooltip(span)}</title></rect>\n");
        }

        AppendLimit(html, trace, scale, height);
        html.Append("</svg>\n</section>\n");
    }

    // The adaptive limit as a step line over the bars, on its own scale (0 to its highest value, labelled
    // in the right-hand gutter): it shows how many fetches were allowed at once while the bars show how many ran.
    private static void AppendLimit(StringBuilder html, RunTrace trace, TimeSpan scale, int height)
    {
        if (trace.Limit.Count == 0)
        {
            return;
        }

        // In the top band of at most PlotHeightBudget: a long run's rows can make the plot thousands of
        // pixels high, and a line stretched over that could not be read on one screen.
        var top = AxisHeight;
        var bottom = Math.Min(height - 2, AxisHeight + PlotHeightBudget);
        var highest = Math.Max(1, trace.Limit.Max(p => p.Limit));
        double Y(int limit) => bottom - ((double)limit / highest * (bottom - top));
        double X(TimeSpan at) => Gutter + (Math.Clamp(at / scale, 0, 1) * PlotWidth);

        var points = new StringBuilder();
        var previous = trace.Limit[0].Limit;
        points.Append(Invariant, $"{X(TimeSpan.Zero):0.##},{Y(previous):0.##}");
        foreach (var point in trace.Limit.Skip(1))
        {
            points.Append(Invariant, $" {X(point.At):0.##},{Y(previous):0.##} {X(point.At):0.##},{Y(point.Limit):0.##}");
            previous = point.Limit;
        }

        var end = trace.Extent > trace.Limit[^1].At ? trace.Extent : trace.Limit[^1].At;
        points.Append(Invariant, $" {X(end):0.##},{Y(previous):0.##}");
        var summary = string.Join(", ", trace.Limit.Take(40).Select(p => string.Create(Invariant, $"{p.Limit} at +{p.At.TotalSeconds:0.000} s")));
        var more = trace.Limit.Count > 40 ? string.Create(Invariant, $", … ({trace.Limit.Count} changes)") : string.Empty;
        html.Append(Invariant, $"<polyline class=\"limit\" points=\"{points}\"><title>{WebUtility.HtmlEncode($"adaptive limit: {summary}{more}")}</title></polyline>\n");
        html.Append(Invariant, $"<text class=\"limit-label\" x=\"{Gutter + PlotWidth + 4}\" y=\"{top + 9}\">{highest}</text>");
        html.Append(Invariant, $"<text class=\"limit-label\" x=\"{Gutter + PlotWidth + 4}\" y=\"{Y(previous) + 4:0.##}\">{previous}</text>");
        html.Append(Invariant, $"<text class=\"limit-label\" x=\"{Gutter + PlotWidth + 4}\" y=\"{bottom}\">0</text>\n");
    }

    private static void AppendAxis(StringBuilder html, TimeSpan scale, int height)
    {
        var step = NiceStep(scale.TotalSeconds / 10);
        for (var t = 0.0; t <= scale.TotalSeconds + (step / 1000); t += step)
        {
            var x = Gutter + (t / scale.TotalSeconds * PlotWidth);
            html.Append(Invariant, $"<line class=\"grid\" x1=\"{x:0.##}\" x2=\"{x:0.##}\" y1=\"{AxisHeight - 6}\" y2=\"{height}\"/>");
            html.Append(Invariant, $"<text x=\"{x:0.##}\" y=\"{AxisHeight - 10}\" text-anchor=\"middle\">{Seconds(t, step)}</text>\n");
        }
    }

    private static double NiceStep(double rough)
    {
        if (rough <= 0)
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / magnitude;
        return magnitude * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10);
    }

    private static string Seconds(double t, double step)
        => step >= 1 ? t.ToString("0 's'", Invariant) : step >= 0.1 ? t.ToString("0.0 's'", Invariant) : (t * 1000).ToString("0 'ms'", Invariant);

    private static string Tooltip(FetchSpan span)
    {
        var status = span.StatusCode is { } code ? code.ToString(Invariant) : "no answer";
        var text = new StringBuilder();
        text.Append(Invariant, $"GET {span.Url}\n");
        text.Append(Invariant, $"{span.Outcome} · status {status}{(span.ErrorType is { } e ? " · error.type " + e : string.Empty)}\n");
        text.Append(Invariant, $"start +{span.Start.TotalSeconds:0.000} s · duration {span.Duration.TotalMilliseconds:0.0} ms\n");
        text.Append(Invariant, $"consumer {span.ConsumerId} · attempt {span.Attempt} · {span.Bytes} bytes · waited {span.ChannelWait.TotalMilliseconds:0.0} ms in the channel\n");
        text.Append(Invariant, $"span {span.SpanId}");
        return WebUtility.HtmlEncode(text.ToString());
    }

    private static string Css(string outcome) => outcome is "succeeded" or "http_error" or "failed" or "cancelled" ? outcome : "unknown";
}
