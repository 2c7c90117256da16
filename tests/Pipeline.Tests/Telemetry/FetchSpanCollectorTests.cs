using Microsoft.Extensions.DependencyInjection;
using Pipeline.Reporting;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Telemetry;

public sealed class FetchSpanCollectorTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-telemetry-").FullName;
    private TestOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync()
    {
        await _origin.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task RunAsync_CompareMode_GivesTwoTracesWithOverlapFiguresFromTheSpans()
    {
        const int Concurrency = 4;
        var report = Path.Combine(_directory, "report.html");
        using var services = Services(Concurrency, report);
        await services.StartHostedAsync();

        // No barrier here: a sequential run never has two requests waiting, so it would never pass one.
        var urls = _origin.Urls("delay/5", Concurrency * 2);
        var batch = await services.GetRequiredService<PipelineJob>().RunAsync([new ListUrlSource("list", urls)], null, CancellationToken.None).Guarded();
        await services.StopHostedAsync();

        Assert.Equal(2, batch.Traces.Count);
        var (sequential, concurrent) = (batch.Traces[0], batch.Traces[1]);
        Assert.Equal(PipelineMode.Sequential, sequential.Mode);
        Assert.Equal(PipelineMode.Concurrent, concurrent.Mode);
        Assert.NotEqual(sequential.TraceId, concurrent.TraceId);
        Assert.Equal(batch.Runs[0].TraceId, sequential.TraceId);
        Assert.Equal(batch.Runs[1].TraceId, concurrent.TraceId);
        Assert.Equal(1, sequential.PeakOverlap);
        Assert.InRange(sequential.MeanOverlap, 0.01, 1.0);
        Assert.Equal(8, sequential.SpanCount);
        Assert.Equal(8, concurrent.SpanCount);
        Assert.InRange(concurrent.PeakOverlap, 1, Concurrency);
        Assert.False(sequential.Capped);
        Assert.Equal(report, batch.TraceReport);
        var html = await File.ReadAllTextAsync(report);
        Assert.Contains("data-mode=\"sequential\"", html, StringComparison.Ordinal);
        Assert.Contains("data-mode=\"concurrent\"", html, StringComparison.Ordinal);
        var text = SummaryFormatter.Format(batch);
        Assert.Contains("spans open peak                1", text, StringComparison.Ordinal);
        Assert.Contains("timeline", text, StringComparison.Ordinal);
        Assert.Contains("Little's law", text, StringComparison.Ordinal);
        Assert.Contains("trace report   " + report, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ConcurrentModeAtTheBarrier_PeakOverlapEqualsTheConcurrency()
    {
        const int Concurrency = 5;
        using var services = Services(Concurrency, report: string.Empty, mode: PipelineMode.Concurrent);
        await services.StartHostedAsync();

        var urls = _origin.Urls($"barrier/peak/{Concurrency}", Concurrency * 3);
        var batch = await services.GetRequiredService<PipelineJob>().RunAsync([new ListUrlSource("list", urls)], null, CancellationToken.None).Guarded();
        await services.StopHostedAsync();

        var trace = Assert.Single(batch.Traces);
        Assert.Equal(Concurrency, trace.PeakOverlap);
        Assert.Equal(Concurrency * 3, trace.Spans.Count);
        Assert.Null(batch.TraceReport);
    }

    [Fact]
    public async Task RunAsync_MoreSpansThanTheLimit_KeepsTheLimitAndCountsThemAll()
    {
        var report = Path.Combine(_directory, "capped.html");
        using var services = Services(2, report, mode: PipelineMode.Concurrent, limit: 3);
        await services.StartHostedAsync();

        var batch = await services.GetRequiredService<PipelineJob>().RunAsync([new ListUrlSource("list", _origin.Urls("ok", 10))], null, CancellationToken.None).Guarded();
        await services.StopHostedAsync();

        var trace = Assert.Single(batch.Traces);
        Assert.True(trace.Capped);
        Assert.Equal(3, trace.Spans.Count);
        Assert.Equal(10, trace.SpanCount);
        Assert.Contains("Capped: showing the first 3 of 10 spans", await File.ReadAllTextAsync(report), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TelemetryNotStarted_RunsWithoutTraces()
    {
        using var services = Services(2, Path.Combine(_directory, "none.html"), mode: PipelineMode.Sequential);

        var batch = await services.GetRequiredService<PipelineJob>().RunAsync([new ListUrlSource("list", _origin.Urls("ok", 2))], null, CancellationToken.None).Guarded();

        Assert.Empty(batch.Traces);
        Assert.Null(batch.TraceReport);
        Assert.Equal(2, batch.Runs[0].Succeeded);
    }

    private ServiceProvider Services(int concurrency, string report, PipelineMode mode = PipelineMode.Compare, int limit = 10_000) => PipelineServices.Create(new Dictionary<string, string?>
    {
        ["Pipeline:Mode"] = mode.ToString(),
        ["Pipeline:Concurrency"] = concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Pipeline:Output"] = Path.Combine(_directory, Guid.NewGuid() + ".jsonl"),
        ["Pipeline:Telemetry:Report"] = report,
        ["Pipeline:Telemetry:ReportSpanLimit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });
}
