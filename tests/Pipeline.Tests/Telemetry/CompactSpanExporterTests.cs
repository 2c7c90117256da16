using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using OpenTelemetry;
using Pipeline.Telemetry;

namespace Pipeline.Tests.Telemetry;

public sealed class CompactSpanExporterTests
{
    private static readonly DateTime T0 = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void Format_FetchSpanUnderARun_PrintsOffsetDurationNameIdsAndKeyAttributes()
    {
        using var run = new Activity(PipelineTelemetry.RunSpanName).SetStartTime(T0).Start();
        using var fetch = new Activity(PipelineTelemetry.FetchSpanName).SetStartTime(T0.AddSeconds(1.5)).Start();
        fetch.SetTag("url.full", "http://127.0.0.1:5000/ok").SetTag("http.request.method", "GET").SetTag("http.response.status_code", 200)
            .SetTag("pipeline.consumer.id", 3).SetTag("pipeline.attempt", 1).SetTag("pipeline.bytes", 42L).SetTag("pipeline.channel.wait_ms", 0.25);
        fetch.SetEndTime(T0.AddSeconds(1.5).AddMilliseconds(201.25));
        fetch.Stop();

        var line = CompactSpanExporter.Format(fetch);

        Assert.Equal(
            $"+   1.500s     201.3ms  fetch url     {fetch.TraceId.ToHexString()} {fetch.SpanId.ToHexString()}  200 GET http://127.0.0.1:5000/ok consumer=3 attempt=1 bytes=42 wait_ms=0.25",
            line);
    }

    [Fact]
    public void Format_FailedSpan_EndsWithTheErrorOnTheSameLine()
    {
        using var fetch = new Activity(PipelineTelemetry.FetchSpanName).SetStartTime(T0).Start();
        fetch.SetTag("error.type", "timeout").SetStatus(ActivityStatusCode.Error, "timed out after 1 s\nwaiting");
        fetch.SetEndTime(T0.AddSeconds(1));
        fetch.Stop();

        var line = CompactSpanExporter.Format(fetch);

        Assert.StartsWith("+   0.000s    1000.0ms  fetch url ", line, StringComparison.Ordinal);
        Assert.EndsWith(" error=timeout  ERROR: timed out after 1 s waiting", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_WriterThrows_ReturnsFailureWithoutThrowing()
    {
        using var exporter = new CompactSpanExporter(new BrokenWriter(), NullLogger.Instance);
        using var span = new Activity(PipelineTelemetry.RunSpanName).Start();
        span.Stop();

        var result = exporter.Export(new Batch<Activity>([span], 1));

        Assert.Equal(ExportResult.Failure, result);
    }

    [Fact]
    public void Export_Batch_WritesOneLinePerSpan()
    {
        using var writer = new StringWriter();
        using var exporter = new CompactSpanExporter(writer, NullLogger.Instance);
        using var first = new Activity(PipelineTelemetry.ProduceSpanName).Start();
        first.Stop();
        using var second = new Activity(PipelineTelemetry.SinkSpanName).Start();
        second.Stop();

        var result = exporter.Export(new Batch<Activity>([first, second], 2));

        Assert.Equal(ExportResult.Success, result);
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Contains(PipelineTelemetry.ProduceSpanName, lines[0], StringComparison.Ordinal);
        Assert.Contains(PipelineTelemetry.SinkSpanName, lines[1], StringComparison.Ordinal);
    }

    private sealed class BrokenWriter : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(string? value) => throw new IOException("stderr is closed");
    }
}
