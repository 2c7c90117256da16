using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Reporting;
using Pipeline.Sinks;
using Pipeline.Sources;
using Pipeline.State;
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
/// <param name="adaptive">The bounds of adaptive concurrency (<c>Pipeline:Adaptive</c>), or <see langword="null"/> for none.</param>
public sealed class PipelineJob(
    PipelineRunner runner,
    IOptionsMonitor<PipelineOptions> options,
    FetchSpanCollector spans,
    IOptionsMonitor<TelemetryOptions> telemetry,
    TimeProvider timeProvider,
    ILogger<PipelineJob> logger,
    IOptionsMonitor<Concurrency.AdaptiveOptions>? adaptive = null)
{
    private readonly LastValidOptions<TelemetryOptions> _telemetry = new(telemetry);
    private readonly LastValidOptions<Concurrency.AdaptiveOptions>? _adaptive = adaptive is null ? null : new(adaptive);

    /// <summary>Runs the batch over the given sources.</summary>
    /// <param name="sources">The sources (from <see cref="UrlSources.FromOptions"/>, or the demo list).</param>
    /// <param name="observer">An observer for progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the batch.</param>
    /// <param name="resumable">Whether a stop saves state and a start resumes from it; off for throw-away lists such as the demo's.</param>
    /// <returns>The report.</returns>
    /// <remarks>
    /// A single-mode batch that is stopped saves its pending URLs and source checkpoints in
    /// <see cref="PipelineOptions.StateDirectory"/>; the next batch resumes from them and appends to the
    /// results file. <see cref="PipelineMode.Compare"/> is a measurement and always starts afresh.
    /// </remarks>
    public Task<BatchReport> RunAsync(IReadOnlyList<IUrlSource> sources, IRunObserver? observer, CancellationToken cancellationToken, bool resumable = true)
        => RunAsync(options.CurrentValue, sources, observer, cancellationToken, resumable);

    /// <summary>Runs the batch over the given sources with the given settings instead of the current options.</summary>
    /// <param name="settings">The settings for this batch, such as a service's last valid options with the batch's own output.</param>
    /// <param name="sources">The sources.</param>
    /// <param name="observer">An observer for progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the batch.</param>
    /// <param name="resumable">Whether a stop saves state and a start resumes from it.</param>
    /// <returns>The report.</returns>
    /// <remarks>
    /// A service keeps the last settings that passed validation: after an invalid edit of
    /// appsettings.json the options monitor throws, and the service goes on with what it had.
    /// </remarks>
    public async Task<BatchReport> RunAsync(PipelineOptions settings, IReadOnlyList<IUrlSource> sources, IRunObserver? observer, CancellationToken cancellationToken, bool resumable = true)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sources);
        var report = await RunBatchAsync(settings, sources, observer, resumable, cancellationToken);
        var traces = report.Runs.Select(run => spans.Take(run.SpanId)).OfType<RunTrace>().ToList();
        return report with { Traces = traces, TraceReport = await WriteTraceReportAsync(traces) };
    }

    private async Task<BatchReport> RunBatchAsync(PipelineOptions settings, IReadOnlyList<IUrlSource> sources, IRunObserver? observer, bool resumable, CancellationToken cancellationToken)
    {
        if (settings.Mode == PipelineMode.Compare)
        {
            return await CompareAsync(settings, sources, observer, cancellationToken);
        }

        var store = new RunStateStore(settings.StateDirectory);
        var resumed = resumable && store.Exists;
        var runSources = sources;
        if (resumed)
        {
            (runSources, var changed) = await store.ResumeAsync(sources, cancellationToken);
            Log.Resuming(logger, store.PendingPath, settings.StateDirectory);
            foreach (var name in changed)
            {
                Log.CheckpointDropped(logger, name);
            }
        }

        RunPlan plan;
        RunSummary run;
        await using (var sink = JsonLinesResultSink.Create(settings.Output, append: resumed))
        {
            plan = RunPlan.From(settings, settings.Mode, runSources, sink, observer, _adaptive?.Value);
            run = await runner.RunAsync(plan, cancellationToken);
        }

        if (!resumable)
        {
            return new BatchReport([run], null, settings.Output);
        }

        if (!run.Interrupted)
        {
            store.Clear();
            return new BatchReport([run], null, settings.Output) { Resumed = resumed };
        }

        // Saved after the run has fully stopped, without the (cancelled) token: this is the step
        // that makes stopping lose nothing.
        var saved = await store.SaveAsync(sources, plan, run, CancellationToken.None);
        Log.StateSaved(logger, saved, settings.StateDirectory);
        return new BatchReport([run], null, settings.Output) { Resumed = resumed, SavedPending = saved, StateDirectory = settings.StateDirectory };
    }

    private async Task<BatchReport> CompareAsync(PipelineOptions settings, IReadOnlyList<IUrlSource> sources, IRunObserver? observer, CancellationToken cancellationToken)
    {
        await using var sink = JsonLinesResultSink.Create(settings.Output);

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
        var path = _telemetry.Value.Report;
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
