using Microsoft.Extensions.Logging;

namespace Pipeline.Telemetry;

/// <summary>The library's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(1, LogLevel.Information, "Run started: {Mode} with {Consumers} consumer(s), channel capacity {Capacity}, {SourceCount} source(s)")]
    public static partial void RunStarted(ILogger logger, PipelineMode mode, int consumers, int capacity, int sourceCount);

    /// <summary>Logs a run's end with every outcome under the results file's names, summing to the lines read.</summary>
    public static void RunFinished(ILogger logger, Running.RunSummary summary)
        => RunFinished(logger, summary.Mode, summary.Total, summary.Wall.TotalSeconds, summary.Succeeded, summary.HttpErrors, summary.Failed, summary.Invalid, summary.Duplicates, summary.Cancelled, summary.Pending);

    [LoggerMessage(2, LogLevel.Information, "Run finished: {Mode}, {Total} line(s) in {WallSeconds:0.000} s: {Succeeded} succeeded, {HttpError} http_error, {Failed} failed, {Invalid} invalid, {Duplicate} duplicate, {Cancelled} cancelled, {Pending} pending")]
    private static partial void RunFinished(ILogger logger, PipelineMode mode, long total, double wallSeconds, long succeeded, long httpError, long failed, long invalid, long duplicate, long cancelled, long pending);

    [LoggerMessage(3, LogLevel.Error, "Source {Source} failed after line {Line}; the other sources go on")]
    public static partial void SourceFailed(ILogger logger, string source, long line, Exception exception);

    [LoggerMessage(4, LogLevel.Error, "The fetcher threw for {Url} ({Source}:{Line}); recorded as a failed result")]
    public static partial void FetcherThrew(ILogger logger, string url, string source, long line, Exception exception);

    [LoggerMessage(5, LogLevel.Debug, "{Outcome} {Url} status {Status} {Bytes} bytes in {DurationMs:0.0} ms (consumer {Consumer})")]
    public static partial void Fetched(ILogger logger, string outcome, string url, int? status, long bytes, double durationMs, int consumer);

    [LoggerMessage(6, LogLevel.Warning, "Run interrupted: {Cancelled} fetch(es) cancelled in flight, {Pending} URL(s) left pending in the channel")]
    public static partial void RunInterrupted(ILogger logger, long cancelled, long pending);

    [LoggerMessage(8, LogLevel.Warning, "More than {Capacity} distinct URLs: later repeats were fetched again instead of being reported as duplicates")]
    public static partial void DuplicateTrackerFull(ILogger logger, int capacity);

    [LoggerMessage(9, LogLevel.Information, "Resuming a stopped batch from {StateDirectory}: the pending URLs ({PendingPath}) first, then each source after its checkpoint; results are appended")]
    public static partial void Resuming(ILogger logger, string pendingPath, string stateDirectory);

    [LoggerMessage(10, LogLevel.Warning, "Source {Source} changed since the batch was stopped: it is read from the start")]
    public static partial void CheckpointDropped(ILogger logger, string source);

    [LoggerMessage(11, LogLevel.Warning, "Saved {Pending} pending URL(s) and the source checkpoints in {StateDirectory}: the next start resumes from there")]
    public static partial void StateSaved(ILogger logger, long pending, string stateDirectory);

    [LoggerMessage(12, LogLevel.Warning, "{Path} ended in a partial line of {Bytes} byte(s), left by a write cut short: {Action} before appending")]
    public static partial void PartialLineRepaired(ILogger logger, string path, long bytes, string action);

    [LoggerMessage(13, LogLevel.Information, "Cut {Bytes} byte(s) written after the last checkpoint off {Path} (kept {Kept}): those lines are settled again")]
    public static partial void ResultsCutBack(ILogger logger, string path, long bytes, long kept);

    [LoggerMessage(17, LogLevel.Information, "Deleted {Rows} result row(s) written after the last checkpoint from {Path} (kept {Kept}): those lines are settled again")]
    public static partial void ResultRowsDeleted(ILogger logger, string path, long rows, long kept);

    [LoggerMessage(18, LogLevel.Warning, "This batch is not resumable: {Reason}. It keeps no state; a stop saves nothing and the same command starts over")]
    public static partial void NotResumable(ILogger logger, string reason);

    [LoggerMessage(14, LogLevel.Warning, "Moved the saved state of another batch ({Batch}) aside to {Aside}: this batch starts from the beginning")]
    public static partial void OtherBatchMovedAside(ILogger logger, string batch, string aside);

    [LoggerMessage(15, LogLevel.Warning, "Fresh start: moved the saved state in {StateDirectory} aside to {Aside}")]
    public static partial void StateDiscarded(ILogger logger, string stateDirectory, string aside);

    [LoggerMessage(16, LogLevel.Warning, "Took over the lock on {StateDirectory} from process {Pid}, which ended without releasing it")]
    public static partial void LockTakenOver(ILogger logger, string stateDirectory, int pid);

    [LoggerMessage(7, LogLevel.Critical, "The result sink failed; the run stops")]
    public static partial void SinkFailed(ILogger logger, Exception exception);

    [LoggerMessage(20, LogLevel.Error, "The compact span exporter could not write; span lines are lost from here on, other exporters go on")]
    public static partial void CompactExportFailed(ILogger logger, Exception exception);

    [LoggerMessage(21, LogLevel.Information, "Trace report written to {Path}")]
    public static partial void TraceReportWritten(ILogger logger, string path);

    [LoggerMessage(22, LogLevel.Error, "The trace report could not be written to {Path}; the results are not affected")]
    public static partial void TraceReportFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(23, LogLevel.Debug, "Telemetry: exporters {Exporters}, sampling ratio {SamplingRatio}")]
    public static partial void TelemetryStarted(ILogger logger, TelemetryExporters exporters, double samplingRatio);

    [LoggerMessage(24, LogLevel.Warning, "Telemetry export to {Endpoint} failed: {Reason}. Spans and metrics for it are dropped until it answers; this is logged again only when it recovers")]
    public static partial void ExportFailing(ILogger logger, string endpoint, string reason);

    [LoggerMessage(25, LogLevel.Information, "Telemetry export to {Endpoint} works again")]
    public static partial void ExportRecovered(ILogger logger, string endpoint);

    [LoggerMessage(30, LogLevel.Debug, "Retrying {Url} after attempt {Attempt} in {DelayMs:0} ms: {Reason}")]
    public static partial void RetryScheduled(ILogger logger, string url, int attempt, double delayMs, string reason);

    [LoggerMessage(31, LogLevel.Warning, "Refused to connect for {Url}: {Reason}")]
    public static partial void AddressRefused(ILogger logger, string url, string reason);

    [LoggerMessage(32, LogLevel.Warning, "Circuit for host {Host} opened for {BreakSeconds:0.###} s: {Reason}")]
    public static partial void CircuitOpened(ILogger logger, string host, double breakSeconds, string reason);

    [LoggerMessage(33, LogLevel.Information, "Circuit for host {Host} closed")]
    public static partial void CircuitClosed(ILogger logger, string host);

    [LoggerMessage(60, LogLevel.Warning, "Processing step {Step} failed for {Url} ({Source} line {Line}); the result is written with the error")]
    public static partial void ProcessorThrew(ILogger logger, string step, string url, string source, long line, Exception exception);

    [LoggerMessage(61, LogLevel.Error, "The processing stage failed")]
    public static partial void ProcessStageFailed(ILogger logger, Exception exception);
}
