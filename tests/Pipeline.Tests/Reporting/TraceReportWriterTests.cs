using System.Text.RegularExpressions;
using Pipeline.Reporting;
using Pipeline.Telemetry;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Reporting;

public sealed partial class TraceReportWriterTests : IDisposable
{
    private static readonly DateTimeOffset GeneratedAt = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-report-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Render_CompareRuns_DrawsOneBarPerSpanForBothRunsWithoutExternalReferences()
    {
        var html = TraceReportWriter.Render(Runs(), GeneratedAt);

        Assert.Equal(40, Bars().Count(html));
        Assert.Contains("data-mode=\"sequential\"", html, StringComparison.Ordinal);
        Assert.Contains("data-mode=\"concurrent\"", html, StringComparison.Ordinal);
        Assert.Contains("peak <b>1</b>", html, StringComparison.Ordinal);
        Assert.Contains("peak <b>4</b>", html, StringComparison.Ordinal);
        Assert.Contains("<title>GET http://127.0.0.1:5000/delay/200?i=1&#10;succeeded", html.Replace("\n", "&#10;", StringComparison.Ordinal), StringComparison.Ordinal);

        // Self-contained: nothing is fetched when the file is opened.
        Assert.DoesNotMatch(ExternalReference(), html);
    }

    [Fact]
    public void Render_BothRuns_UseOneTimeScale()
    {
        var html = TraceReportWriter.Render(Runs(), GeneratedAt);

        // The sequential run spans 4 s; the concurrent run's last bar ends near 1 s, a quarter of the way.
        Assert.Contains("0 to 4.000 s", html, StringComparison.Ordinal);
        var bars = Bars().Matches(html).Select(m => double.Parse(m.Groups["x"].Value, System.Globalization.CultureInfo.InvariantCulture) + double.Parse(m.Groups["w"].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(40 + 1100, bars.Take(20).Max(), precision: 0);
        Assert.Equal(40 + 275, bars.Skip(20).Max(), precision: 0);
    }

    [Fact]
    public void Render_AdaptiveRun_DrawsTheLimitAsAStepLineOverTheBars()
    {
        // Concurrent run of 1 s (the sequential one sets the scale at 4 s: 275 px a second); the limit
        // is 1, then 2 from 0.2 s, then 4 from 0.4 s, on a scale of 0..4 over the plot's height.
        var html = TraceReportWriter.Render(AdaptiveRuns(), GeneratedAt);

        var line = Assert.Single(LimitLine().Matches(html));
        var points = line.Groups["points"].Value.Split(' ').Select(p => p.Split(',').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray()).ToList();
        Assert.Equal([40, 95, 95, 150, 150, 315], points.Select(p => p[0]));

        // In the top 200 px under the 24 px axis: from y = 224 (0) up to y = 24 (4).
        Assert.Equal([174, 174, 124, 124, 24, 24], points.Select(p => p[1]));
        Assert.Contains("adaptive limit: 1 at +0.000 s, 2 at +0.200 s, 4 at +0.400 s", html, StringComparison.Ordinal);
        Assert.Contains("Concurrent run, adaptive consumers (up to 4)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_AdaptiveRunWithManyRows_KeepsTheLimitLineInTheTopBand()
    {
        // 500 rows of 2 px make a plot over 1000 px high; the line stays in the top 200 px, readable on one screen.
        var spans = Enumerable.Range(0, 500).Select(i => Span(i, TimeSpan.FromMilliseconds(i), "succeeded")).ToList();
        var run = Trace(PipelineMode.Concurrent, 256, spans, peak: 200).WithLimit([new(TimeSpan.Zero, 1), new(TimeSpan.FromMilliseconds(100), 256)]);

        var html = TraceReportWriter.Render([run], GeneratedAt);

        var ys = LimitLine().Match(html).Groups["points"].Value.Split(' ').Select(p => double.Parse(p.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.InRange(ys.Max(), 223, 24 + 200);
        Assert.Equal(24, ys.Min(), precision: 0);
    }

    [Fact]
    public void Render_FixedConcurrency_DrawsNoLimitLine()
    {
        var html = TraceReportWriter.Render(Runs(), GeneratedAt);

        Assert.Empty(LimitLine().Matches(html));
    }

    [ChromiumFact]
    public async Task WriteAsync_OpenedInHeadlessChromium_ShowsTheBars()
    {
        var html = Path.Combine(_directory, "report.html");
        var png = Path.Combine(_directory, "report.png");
        await TraceReportWriter.WriteAsync(html, AdaptiveRuns(), GeneratedAt, CancellationToken.None);

        await Chromium.ScreenshotAsync(html, png);

        var image = Png.Read(png);
        Assert.Equal((1400, 900), (image.Width, image.Height));

        // Colours of the outcome classes in the report's CSS: green bars and the one red and orange.
        Assert.True(image.Count(0x2e, 0x9e, 0x5b) > 2_000, "succeeded bars are not visible");
        Assert.True(image.Count(0xd6, 0x45, 0x41) > 50, "the failed bar is not visible");
        Assert.True(image.Count(0xe6, 0x9a, 0x28) > 50, "the HTTP error bar is not visible");
        Assert.True(image.Count(0x6b, 0x3f, 0xa0) > 200, "the adaptive limit line is not visible");
    }

    private static List<RunTrace> Runs()
    {
        var ms = TimeSpan.FromMilliseconds(1);
        var sequential = Enumerable.Range(0, 20).Select(i => Span(i, start: 200 * i * ms, "succeeded")).ToList();
        var concurrent = Enumerable.Range(0, 20).Select(i => Span(i, start: 200 * (i / 4) * ms, i == 5 ? "failed" : i == 6 ? "http_error" : "succeeded")).ToList();
        return
        [
            Trace(PipelineMode.Sequential, 1, sequential, peak: 1),
            Trace(PipelineMode.Concurrent, 4, concurrent, peak: 4),
        ];
    }

    private static List<RunTrace> AdaptiveRuns()
    {
        var runs = Runs();
        runs[1] = runs[1].WithLimit([new(TimeSpan.Zero, 1), new(TimeSpan.FromSeconds(0.2), 2), new(TimeSpan.FromSeconds(0.4), 4)]);
        return runs;
    }

    private static FetchSpan Span(int i, TimeSpan start, string outcome) => new()
    {
        Start = start,
        Duration = TimeSpan.FromMilliseconds(200),
        Url = $"http://127.0.0.1:5000/delay/200?i={i + 1}",
        Outcome = outcome,
        StatusCode = outcome == "failed" ? null : outcome == "http_error" ? 503 : 200,
        ConsumerId = i % 4,
        Attempt = 1,
        Bytes = 3,
        SpanId = $"{i:x16}",
    };

    private static RunTrace Trace(PipelineMode mode, int consumers, List<FetchSpan> spans, int peak) => new()
    {
        Mode = mode,
        Consumers = consumers,
        TraceId = new string(mode == PipelineMode.Sequential ? 'a' : 'b', 32),
        SpanId = new string('c', 16),
        StartedAt = GeneratedAt.UtcDateTime,
        Duration = spans.Max(s => s.End),
        Spans = spans,
        SpanCount = spans.Count,
        PeakOverlap = peak,
        MeanOverlap = peak,
    };

    [GeneratedRegex("<rect class=\"bar [a-z_]+\" x=\"(?<x>[0-9.]+)\" y=\"[0-9]+\" width=\"(?<w>[0-9.]+)\"")]
    private static partial Regex Bars();

    [GeneratedRegex("<polyline class=\"limit\" points=\"(?<points>[0-9., ]+)\"")]
    private static partial Regex LimitLine();

    [GeneratedRegex("<script[^>]+src=|<link |@import|url\\(|<img ", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
