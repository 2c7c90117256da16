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
/// <param name="process">The processing stage's options (<c>Pipeline:Process</c>), or <see langword="null"/> for no processing stage.</param>
/// <param name="processors">The registered processing steps <c>Pipeline:Process:Steps</c> chooses from.</param>
public sealed class PipelineJob(
    PipelineRunner runner,
    IOptionsMonitor<PipelineOptions> options,
    FetchSpanCollector spans,
    IOptionsMonitor<TelemetryOptions> telemetry,
    TimeProvider timeProvider,
    ILogger<PipelineJob> logger,
    IOptionsMonitor<Concurrency.AdaptiveOptions>? adaptive = null,
    IOptionsMonitor<Processing.ProcessOptions>? process = null,
    IEnumerable<Processing.IResultProcessor>? processors = null)
{
    private readonly LastValidOptions<TelemetryOptions> _telemetry = new(telemetry);
    private readonly LastValidOptions<Concurrency.AdaptiveOptions>? _adaptive = adaptive is null ? null : new(adaptive);
    private readonly LastValidOptions<Processing.ProcessOptions>? _process = process is null ? null : new(process);
    private readonly Processing.IResultProcessor[] _processors = processors?.ToArray() ?? [];

    // Read per run, like the other settings, so that a service's edit applies from the next batch.
    private Processing.ProcessPlan? Processing(PipelineMode mode) => _process is null ? null : Pipeline.Processing.ProcessPlan.From(_process.Value, _processors, mode);

    /// <summary>Runs the batch over the given sources.</summary>
    /// <param name="sources">The sources (from <see cref="UrlSources.FromOptions"/>, or the demo list).</param>
    /// <param name="observer">An observer for progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the batch.</param>
    /// <param name="resumable">Whether a stop saves state and a start resumes from it; off for throw-away lists such as the demo's.</param>
    /// <returns>The report.</returns>
    /// <remarks>
    /// A single-mode batch keeps its state in <see cref="PipelineOptions.StateDirectory"/> while it runs
    /// (checkpoints every <see cref="PipelineOptions.CheckpointInterval"/> and when stopped); the next start
    /// of the same batch resumes from it, and a finished batch clears it. <see cref="PipelineMode.Compare"/>
    /// is a measurement and always starts afresh.
    /// </remarks>
    public Task<BatchReport> RunAsync(IReadOnlyList<IUrlSource> sources, IRunObserver? observer, CancellationToken cancellationToken, bool resumable = true)
        => RunAsync(options.CurrentValue, sources, observer, cancellationToken, resumable);

    /// <summary>Runs the batch over the given sources with the given settings instead of the current options.</summary>
    /// <param name="settings">The settings for this batch, such as a service's last valid options with the batch's own output.</param>
    /// <param name="sources">The sources.</param>
    /// <param name="observer">An observer for progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the batch.</param>
    /// <param name="resumable">Whether a stop saves state and a start resumes from it.</param>
    /// <param name="replaceOtherBatch">Whether saved state of another batch is moved aside (a service's inbox file) instead of refused (a command).</param>
    /// <returns>The report.</returns>
    /// <remarks>
    /// A service keeps the last settings that passed validation: after an invalid edit of
    /// appsettings.json the options monitor throws, and the service goes on with what it had.
    /// </remarks>
    /// <exception cref="BatchStateException">The state folder or results file is held by another process, the saved state
    /// belongs to another batch, or it is damaged: the message is one line naming the path and the way out.</exception>
    public async Task<BatchReport> RunAsync(PipelineOptions settings, IReadOnlyList<IUrlSource> sources, IRunObserver? observer, CancellationToken cancellationToken, bool resumable = true, bool replaceOtherBatch = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(sources);
        var report = await RunBatchAsync(settings, sources, observer, resumable, replaceOtherBatch, cancellationToken);
        var traces = report.Runs
            .Select(run => (Trace: spans.Take(run.SpanId), run.Adaptive))
            .Select(pair => pair.Adaptive is { } adaptive ? pair.Trace?.WithLimit(adaptive.Points) : pair.Trace)
            .OfType<RunTrace>()
            .ToList();
        return report with { Traces = traces, TraceReport = await WriteTraceReportAsync(traces) };
    }

    private async Task<BatchReport> RunBatchAsync(PipelineOptions settings, IReadOnlyList<IUrlSource> sources, IRunObserver? observer, bool resumable, bool replaceOtherBatch, CancellationToken cancellationToken)
    {
        if (settings.Mode == PipelineMode.Compare)
        {
            return await CompareAsync(settings, sources, observer, cancellationToken);
        }

        var notResumable = resumable ? NotResumableReason(settings, sources) : null;
        if (notResumable is not null)
        {
            Log.NotResumable(logger, notResumable);
        }

        if (!resumable || notResumable is not null)
        {
            RunSummary single;
            await using (var plain = ResultFiles.OpenForBatch(settings.Output, resumeAt: null, logger, new UrlRedactor(_telemetry.Value)))
            {
                single = await runner.RunAsync(RunPlan.From(settings, settings.Mode, sources, plain, observer, _adaptive?.Value, _telemetry.Value.FetchSpansNeeded, processing: Processing(settings.Mode)), cancellationToken);
            }

            return new BatchReport([single], null, settings.Output) { NotResumable = notResumable };
        }

        // One process per state folder for the whole batch: two would cut each other's results.
        using var stateLock = StateLock.Acquire(settings.StateDirectory, "batch");
        if (stateLock.PreviousOwner is { } pid)
        {
            Log.LockTakenOver(logger, stateLock.Directory, pid);
        }

        var store = new RunStateStore(settings.StateDirectory);
        var identity = BatchIdentity.Of(sources, settings.Output);
        var saved = await LoadStateAsync(store, identity, settings.Fresh, replaceOtherBatch, cancellationToken);
        var (runSources, startLines, changed) = saved is { } state
            ? RunStateStore.Resume(state.Batch, state.Pending, sources)
            : (sources, sources.Select(_ => 0L).ToList(), []);
        if (saved is not null)
        {
            Log.Resuming(logger, store.PendingPath, store.Directory);
            foreach (var name in changed)
            {
                Log.CheckpointDropped(logger, name);
            }
        }

        RunSummary run;
        BatchLedger ledger;
        await using (var sink = ResultFiles.OpenForBatch(settings.Output, saved?.Batch.ResultsLength is >= 0 and var length ? length : null, logger, new UrlRedactor(_telemetry.Value)))
        {
            ledger = new BatchLedger(store, identity, sources, runSources, startLines, sink, saved?.Batch, settings.CheckpointInterval, timeProvider);

            // Saved before the first fetch: a hard kill from here on leaves state that names this batch.
            await ledger.CheckpointAsync(cancellationToken);
            var plan = RunPlan.From(settings, settings.Mode, runSources, sink, observer, _adaptive?.Value, _telemetry.Value.FetchSpansNeeded, processing: Processing(settings.Mode)).WithLedger(ledger);
            run = await runner.RunAsync(plan, cancellationToken);
            if (!run.Interrupted)
            {
                // The runner's last flush made every result durable: only now may the state go.
                await sink.FlushAsync(CancellationToken.None);
                store.Clear();
                return new BatchReport([run], null, settings.Output) { Resumed = saved is not null };
            }

            // Saved after the run has fully stopped, without the (cancelled) token: this is the step
            // that makes stopping lose nothing.
            await ledger.CheckpointAsync(CancellationToken.None);
        }

        var pending = ledger.Saved!.PendingCount;
        Log.StateSaved(logger, pending, store.Directory);
        return new BatchReport([run], null, settings.Output) { Resumed = saved is not null, SavedPending = pending, StateDirectory = store.Directory, StateSaved = true };
    }

    // Why a batch that would keep state cannot: an input that cannot be read again, or an output
    // that cannot be cut back to a checkpoint. Such a batch saves nothing and starts over when rerun.
    private static string? NotResumableReason(PipelineOptions settings, IReadOnlyList<IUrlSource> sources)
    {
        if (sources.Any(s => s is StandardInputUrlSource))
        {
            return "URLs come from standard input, which cannot be read again";
        }

        return ResultFiles.CanResume(settings.Output) ? null : "results go to standard output, which cannot be cut back to a checkpoint";
    }

    // The saved state, when it belongs to this batch; another batch's state is refused (batch mode)
    // or moved aside (a service's inbox file), and --fresh moves any state aside.
    private async Task<(SavedBatch Batch, IReadOnlyList<PendingEntry> Pending)?> LoadStateAsync(RunStateStore store, BatchIdentity identity, bool fresh, bool replaceOtherBatch, CancellationToken cancellationToken)
    {
        if (!store.Exists)
        {
            return null;
        }

        if (fresh)
        {
            Log.StateDiscarded(logger, store.Directory, store.MoveAside("discarded", timeProvider));
            return null;
        }

        var saved = await store.LoadAsync(cancellationToken);
        if (saved is not { } state || state.Batch.Batch.SameBatch(identity))
        {
            return saved;
        }

        if (replaceOtherBatch)
        {
            Log.OtherBatchMovedAside(logger, state.Batch.Batch.Describe(), store.MoveAside("other-batch", timeProvider));
            return null;
        }

        throw new BatchStateException(
            store.Directory,
            $"{store.Directory} holds the state of another, stopped batch ({state.Batch.Batch.Describe()}, saved {state.Batch.SavedAt:yyyy-MM-dd HH:mm:ss}Z). Rerun that batch's command to resume it, or run this one with --fresh (Pipeline:Fresh=true) to move that state aside (it is kept, not deleted) and start.")
        {
            Problem = BatchStateProblem.OtherBatch,
        };
    }

    private async Task<BatchReport> CompareAsync(PipelineOptions settings, IReadOnlyList<IUrlSource> sources, IRunObserver? observer, CancellationToken cancellationToken)
    {
        await using var sink = ResultFiles.OpenForBatch(settings.Output, resumeAt: null, logger, new UrlRedactor(_telemetry.Value));

        // Same sources, same sink, same code: only the number of consumers differs.
        var sequential = await runner.RunAsync(RunPlan.From(settings, PipelineMode.Sequential, sources, sink, observer, fetchSpans: _telemetry.Value.FetchSpansNeeded, processing: Processing(PipelineMode.Sequential)), cancellationToken);
        if (sequential.Interrupted)
        {
            return new BatchReport([sequential], null, settings.Output);
        }

        var concurrent = await runner.RunAsync(RunPlan.From(settings, PipelineMode.Concurrent, sources, sink, observer, fetchSpans: _telemetry.Value.FetchSpansNeeded, processing: Processing(PipelineMode.Concurrent)), cancellationToken);
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
