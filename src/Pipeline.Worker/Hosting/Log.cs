using Microsoft.Extensions.Logging;

namespace Pipeline.Worker.Hosting;

/// <summary>The worker's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Information, "No URLs configured: serving {Count} demo URL(s) that answer after {LatencyMs} ms from {Origin}")]
    public static partial void DemoStarted(ILogger logger, int count, double latencyMs, Uri origin);

    [LoggerMessage(102, LogLevel.Information, "Progress ({Mode}): {Done}{OfTotal} done, {InFlight} in flight, {Queued} queued, {Succeeded} succeeded, {Failed} not, {Rate:0.0} fetches/s{Input}")]
    public static partial void Progress(ILogger logger, string mode, long done, string ofTotal, long inFlight, long queued, long succeeded, long failed, double rate, string input);

    [LoggerMessage(104, LogLevel.Warning, "Stopped before the batch finished; what was done is in {Output}")]
    public static partial void BatchInterrupted(ILogger logger, string output);

    [LoggerMessage(107, LogLevel.Warning, "The input has no URL lines ({Sources}): nothing was fetched")]
    public static partial void EmptyInput(ILogger logger, string sources);

    [LoggerMessage(105, LogLevel.Information, "Settings files in effect, lowest first, each watched for edits: {Files}")]
    public static partial void SettingsFilesFound(ILogger logger, string files);

    [LoggerMessage(106, LogLevel.Debug, "No operator settings file at {Path}: the shipped defaults apply until one is created there")]
    public static partial void OperatorSettingsMissing(ILogger logger, string path);

    [LoggerMessage(200, LogLevel.Information, "Service mode: watching {Inbox} every {PollInterval} (results to {Outbox}, finished files to {Done}); schedule {Interval}")]
    public static partial void ServiceStarted(ILogger logger, string inbox, TimeSpan pollInterval, string outbox, string done, string interval);

    /// <summary>Logs one run of a service batch with every outcome under the results file's names, summing to the lines read.</summary>
    public static void BatchRan(ILogger logger, string batch, Running.RunSummary run, string output)
        => BatchRan(logger, batch, run.Mode, run.Consumers, run.Total, run.Succeeded, run.HttpErrors, run.Failed, run.Invalid, run.Duplicates, run.Cancelled, run.Pending, run.Wall.TotalMilliseconds, output);

    [LoggerMessage(201, LogLevel.Information, "Batch {Batch} ran {Mode} with {Consumers} consumer(s): {Total} line(s): {Succeeded} succeeded, {HttpError} http_error, {Failed} failed, {Invalid} invalid, {Duplicate} duplicate, {Cancelled} cancelled, {Pending} pending; wall {WallMs:0} ms; results in {Output}")]
    private static partial void BatchRan(ILogger logger, string batch, PipelineMode mode, int consumers, long total, long succeeded, long httpError, long failed, long invalid, long duplicate, long cancelled, long pending, double wallMs, string output);

    [LoggerMessage(202, LogLevel.Information, "Inbox file {File} done, moved to {Done}")]
    public static partial void InboxFileDone(ILogger logger, string file, string done);

    [LoggerMessage(203, LogLevel.Warning, "Stopped during inbox file {File}: it stays in the inbox and resumes on the next start")]
    public static partial void InboxFileLeft(ILogger logger, string file);

    [LoggerMessage(204, LogLevel.Error, "Inbox file {File} failed and was renamed to {Failed}; the reason is beside it in {ReasonFile}")]
    public static partial void InboxFileFailed(ILogger logger, string file, string failed, string reasonFile, Exception exception);

    [LoggerMessage(205, LogLevel.Information, "Configuration changed: {Key} {Before} -> {After} (from the next batch)")]
    public static partial void SettingChanged(ILogger logger, string key, string before, string after);

    [LoggerMessage(206, LogLevel.Error, "Configuration edit ignored, the last valid settings stay in force: {Failures}")]
    public static partial void SettingsRejected(ILogger logger, string failures);

    [LoggerMessage(211, LogLevel.Warning, "Configuration changed: {Key} {Before} -> {After} needs a restart: it is read once at start-up, the running service goes on with the old value")]
    public static partial void SettingNeedsRestart(ILogger logger, string key, string before, string after);

    [LoggerMessage(212, LogLevel.Error, "Settings file {Path} does not parse at line {Line}, column {Column}: {Reason}. The last good settings stay in force")]
    public static partial void SettingsFileUnreadable(ILogger logger, string path, long line, long column, string reason);

    [LoggerMessage(213, LogLevel.Critical, "Stopped before the state could be saved: the URLs in flight were not recorded as pending")]
    public static partial void StopNotSaved(ILogger logger, Exception exception);

    [LoggerMessage(207, LogLevel.Warning, "Pipeline:Service:Interval is set but no Urls or Files are configured: nothing to re-run")]
    public static partial void ScheduleWithoutSources(ILogger logger);

    [LoggerMessage(208, LogLevel.Critical, "The service loop failed")]
    public static partial void ServiceFailed(ILogger logger, Exception exception);

    [LoggerMessage(209, LogLevel.Error, "Scheduled run failed; the next one is due in {Interval}")]
    public static partial void ScheduledRunFailed(ILogger logger, TimeSpan interval, Exception exception);

    [LoggerMessage(210, LogLevel.Information, "Batch {Batch} starting: {Mode} with {Consumers} consumer(s)")]
    public static partial void BatchStarting(ILogger logger, string batch, PipelineMode mode, int consumers);

    [LoggerMessage(211, LogLevel.Warning, "Inbox file {File} vanished before its batch could run or finish: skipped")]
    public static partial void InboxFileVanished(ILogger logger, string file);

    [LoggerMessage(212, LogLevel.Warning, "Inbox file {File} vanished during its batch: its results are written, there is nothing to move to done")]
    public static partial void InboxFileVanishedAfterBatch(ILogger logger, string file);

    [LoggerMessage(213, LogLevel.Error, "Inbox file {File} cannot be read ({Reason}): skipped until it changes")]
    public static partial void InboxFileUnreadable(ILogger logger, string file, string reason);

    [LoggerMessage(214, LogLevel.Warning, "Inbox file {File}: I/O error on attempt {Attempt} of {Attempts} ({Reason}); trying again in {Delay}")]
    public static partial void InboxFileRetrying(ILogger logger, string file, int attempt, int attempts, TimeSpan delay, string reason);

    [LoggerMessage(215, LogLevel.Error, "Inbox file {File} could not be moved to {Target} ({Reason}): left in the inbox until it changes")]
    public static partial void InboxFileNotMoved(ILogger logger, string file, string target, string reason, Exception? exception);

    [LoggerMessage(216, LogLevel.Warning, "Inbox file {File} does not match the pattern {Pattern}: ignored (rename it to run it)")]
    public static partial void InboxFileIgnored(ILogger logger, string file, string pattern);

    [LoggerMessage(301, LogLevel.Error, "{Message}")]
    public static partial void BrokerFailed(ILogger logger, string message);

    [LoggerMessage(302, LogLevel.Critical, "The {Name} failed")]
    public static partial void RunFailed(ILogger logger, string name, Exception exception);

    [LoggerMessage(140, LogLevel.Error, "Inbox file {File} is left in the inbox: {Problem}")]
    public static partial void InboxStateProblem(ILogger logger, string file, string problem);

    [LoggerMessage(141, LogLevel.Critical, "The service cannot start: {Problem}")]
    public static partial void ServiceStateLocked(ILogger logger, string problem);
}
