using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Worker.Hosting.Systemd;

namespace Pipeline.Worker.Hosting.Service;

/// <summary>
/// Service mode: stays up, runs every inbox file as a batch (one at a time, in name order) and, when
/// a schedule is set, re-runs the configured sources every interval. Each batch takes the last valid
/// settings, so edits of appsettings.json apply from the next batch.
/// </summary>
/// <remarks>
/// The systemd watchdog is fed from this loop only: on each idle poll, and on each poll tick of a
/// running batch that has moved since the last one. A hung pipeline therefore stops the heartbeat
/// and systemd restarts the service, which a timer of its own would hide.
/// </remarks>
internal sealed class ServiceWorker(
    PipelineJob job,
    LiveSettings settings,
    IOptions<ServiceOptions> serviceOptions,
    ProgressDisplay progress,
    BatchOutcome outcome,
    SystemdNotifier systemd,
    TimeProvider timeProvider,
    IHostApplicationLifetime lifetime,
    ILogger<ServiceWorker> logger) : BackgroundService
{
    private int _filesDone;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var service = serviceOptions.Value;
        try
        {
            Directory.CreateDirectory(service.Inbox);
            Directory.CreateDirectory(service.Outbox);
            Directory.CreateDirectory(service.Done);
            var inbox = new InboxWatcher(service.Inbox, service.Pattern, service.PatternCaseSensitive, logger);
            var files = new InboxFileHandler(service, timeProvider, logger);
            var schedule = service.Interval > TimeSpan.Zero ? service.Interval : (TimeSpan?)null;
            if (schedule is not null && UrlSources.FromOptions(settings.ForNextBatch()).Count == 0)
            {
                Log.ScheduleWithoutSources(logger);
            }

            Log.ServiceStarted(logger, Path.GetFullPath(service.Inbox), service.PollInterval, Path.GetFullPath(service.Outbox), Path.GetFullPath(service.Done), schedule?.ToString() ?? "off");

            // The first scheduled run starts at once: a monitor that has just started should report.
            var nextRun = timeProvider.GetUtcNow();
            using var timer = new PeriodicTimer(service.PollInterval, timeProvider);
            do
            {
                systemd.NotifyAlive(string.Create(CultureInfo.InvariantCulture, $"idle, {_filesDone} file(s) done"));
                if (schedule is { } interval && timeProvider.GetUtcNow() >= nextRun)
                {
                    var startedAt = timeProvider.GetUtcNow();

                    // Runs missed while a long batch ran are skipped, not run back to back.
                    while (nextRun <= startedAt)
                    {
                        nextRun += interval;
                    }

                    await RunScheduledAsync(startedAt, service.PollInterval, interval, stoppingToken);
                }

                foreach (var file in inbox.Poll())
                {
                    stoppingToken.ThrowIfCancellationRequested();

                    // A file's turn may come after a long batch: it must still be as it was when found ready.
                    if (inbox.IsUnchanged(file) && await RunInboxFileAsync(file, service, files, stoppingToken) == InboxFileOutcome.Skipped)
                    {
                        inbox.Skip(file);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // A stop between batches, or after a batch saved what it had not done: a clean stop.
        }
        catch (Exception ex)
        {
            Log.ServiceFailed(logger, ex);
            outcome.ExitCode = ExitCodes.Failed;
            lifetime.StopApplication();
            return;
        }

        outcome.ExitCode = ExitCodes.Success;
    }

    private async Task<InboxFileOutcome> RunInboxFileAsync(string path, ServiceOptions service, InboxFileHandler files, CancellationToken cancellationToken)
    {
        var name = Path.GetFileName(path);
        var stem = Path.GetFileNameWithoutExtension(path);
        var outcome = await files.RunAsync(
            path,
            async token =>
            {
                // Taken per attempt: a retry after an edit runs with the edited settings.
                var batch = settings.ForNextBatch().Clone();
                batch.Output = Path.Combine(service.Outbox, stem + ServiceDefaults.ResultsSuffix);

                // Each inbox file has its own state, so a file left in the inbox by a stop resumes where it
                // stopped and never hands its pending URLs to another file's batch.
                batch.StateDirectory = Path.Combine(batch.StateDirectory, "inbox", stem);
                var report = await RunBatchAsync(name, batch, [new TextFileUrlSource(path)], service.PollInterval, resumable: true, token);
                return !report.Interrupted;
            },
            cancellationToken);
        if (outcome == InboxFileOutcome.Done)
        {
            _filesDone++;
        }

        return outcome;
    }

    private async Task RunScheduledAsync(DateTimeOffset startedAt, TimeSpan pollInterval, TimeSpan interval, CancellationToken cancellationToken)
    {
        var current = settings.ForNextBatch();
        var sources = UrlSources.FromOptions(current);
        if (sources.Count == 0)
        {
            return;
        }

        var batch = current.Clone();
        batch.Output = ScheduledOutput(current.Output, startedAt);
        try
        {
            // Not resumable: a stopped check is simply done again by the next one.
            await RunBatchAsync("schedule", batch, sources, pollInterval, resumable: false, cancellationToken);
        }
        catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            Log.ScheduledRunFailed(logger, interval, ex);
        }
    }

    private async Task<BatchReport> RunBatchAsync(string name, PipelineOptions batch, IReadOnlyList<IUrlSource> sources, TimeSpan pollInterval, bool resumable, CancellationToken cancellationToken)
    {
        Log.BatchStarting(logger, name, batch.Mode, batch.Mode == PipelineMode.Sequential ? 1 : batch.Concurrency);
        systemd.NotifyAlive(string.Create(CultureInfo.InvariantCulture, $"batch {name}: starting, {batch.Mode}"));
        var observer = new BatchObserver(progress);
        var run = job.RunAsync(batch, sources, observer, cancellationToken, resumable);
        using (var ticks = new PeriodicTimer(pollInterval, timeProvider))
        {
            var last = observer.Progress;
            while (!run.IsCompleted)
            {
                var tick = ticks.WaitForNextTickAsync(CancellationToken.None).AsTask();
                await Task.WhenAny(run, tick);
                var now = observer.Progress;
                if (tick.IsCompleted && now != last)
                {
                    last = now;
                    systemd.NotifyAlive(string.Create(CultureInfo.InvariantCulture, $"batch {name}: {batch.Mode}, {observer.Completed} done"));
                }
            }
        }

        var report = await run;
        foreach (var summary in report.Runs)
        {
            Log.BatchRan(logger, name, summary, report.Output);
        }

        return report;
    }

    private static string ScheduledOutput(string output, DateTimeOffset startedAt)
    {
        var stamp = startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var directory = Path.GetDirectoryName(output) ?? string.Empty;
        return Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(output)}.{stamp}{Path.GetExtension(output)}");
    }
}
