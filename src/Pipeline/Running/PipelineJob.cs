using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Reporting;
using Pipeline.Sinks;
using Pipeline.Sources;
using Pipeline.Telemetry;

namespace Pipeline.Running;

/// <summary>
/// Runs one batch as the options say: one mode, or both for a comparison, into the results file;
/// then gathers each run's spans and writes the HTML trace report.
/// </summary>
/// <param name="runner">The runner.</param>
/// <param name="options">The options; read once per batch so that a service picks up edits.</param>
/// <param name="spans">The collector holding each run's fetch spans.</param>
/// <param name="telemetry">The telemetry options (report path).</param>
/// <param name="timeProvider">The clock for the report's time stamp.</param>
/// <param name="logger">The logger.</param>
public sealed class PipelineJob(
    PipelineRunner runner,
    IOptionsMonitor<PipelineOptions> options,
    FetchSpanCollector spans,
    IOptionsMonitor<TelemetryOptions> telemetry,
    TimeProvider timeProvider,
    ILogger<PipelineJob> logger)
{
    /// <summary>Runs the batch over the given sources.</summary>
    /// <param name="sources">The sources (from <see cref="UrlSources.FromOptions"/>, or the demo list).</param>
    /// <param name="observer">An observer for progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the batch.</param>
    /// <returns>The report.</returns>
    public async Task<BatchReport> RunAsync(IReadOnlyList<IUrlSource> sources, IRunObserver? observer, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        BatchReport report;
        await using (var sink = JsonLinesResultSink.Create(settings.Output))
        {
            report = await RunModesAsync(settings, sources, sink, observer, cancellationToken);
        }

        var traces = report.Runs.Select(run => spans.Take(run.SpanId)).OfType<RunTrace>().ToList();
        return report with { Traces = traces, TraceReport = await WriteTraceReportAsync(traces) };
    }

    private async Task<BatchReport> RunModesAsync(PipelineOptions settings, IReadOnlyList<IUrlSource> sources, JsonLinesResultSink sink, IRunObserver? observer, CancellationToken cancellationToken)
    {
        if (settings.Mode != PipelineMode.Compare)
        {
            var run = await runner.RunAsync(RunPlan.From(settings, settings.Mode, sources, sink, observer), cancellationToken);
            return new BatchReport([run], null, settings.Output);
        }

        // Same sources, same sink, same code: only the number of consumers differs.
        var sequential = await runner.RunAsync(RunPlan.From(settings, PipelineMode.Sequential, sources, sink, observer), cancellationToken);
        if (sequential.Interrupted)
        {
            return new BatchReport([sequential], null, settings.Output);
        }

        var concurrent = await runner.RunAsync(RunPlan.From(settings, PipelineMode.Concurrent, sources, sink, observer), cancellationToken);
        var comparison = concurrent.Interrupted ? null : new ComparisonReport(sequential, concurrent);
        return new BatchReport([sequential, concurrent], comparison, settings.Output);
    }

    private async Task<string?> WriteTraceReportAsync(List<RunTrace> traces)
    {
        var path = telemetry.CurrentValue.Report;
        if (string.IsNullOrWhiteSpace(path) || traces.Count == 0)
        {
            return null;
        }

        try
        {
            // Not cancellable: an interrupted batch is worth a picture too, and writing it is quick.
            await TraceReportWriter.WriteAsync(path, traces, timeProvider.GetUtcNow(), CancellationToken.None);
            Log.TraceReportWritten(logger, Path.GetFullPath(path));
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            Log.TraceReportFailed(logger, path, ex);
            return null;
        }
    }
}
