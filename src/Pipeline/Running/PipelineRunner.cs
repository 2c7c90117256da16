using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Fetching;
using Pipeline.Sources;
using Pipeline.State;
using Pipeline.Telemetry;

namespace Pipeline.Running;

/// <summary>
/// Runs one plan: producers → bounded work channel → 1 or N consumers → bounded result channel → sink.
/// </summary>
/// <remarks>
/// Sequential and concurrent runs share every line of code; the only difference is how many
/// consumer loops read the work channel. That is what makes a comparison of the two honest.
/// </remarks>
/// <param name="fetcher">Fetches one URL.</param>
/// <param name="timeProvider">The clock for durations and timestamps.</param>
/// <param name="logger">The logger.</param>
public sealed class PipelineRunner(IUrlFetcher fetcher, TimeProvider timeProvider, ILogger<PipelineRunner> logger)
{
    // How stale the results file may get while results keep coming: short enough for `tail -f`,
    // long enough that a busy run flushes a few times a second instead of once per result.
    private static readonly TimeSpan SinkFlushInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs the plan until every source is read and every result is written, or until cancelled.</summary>
    /// <param name="plan">What to run.</param>
    /// <param name="cancellationToken">Stops the run: producers stop reading, in-flight fetches are cancelled and
    /// recorded as such, items still in the channel are written as pending, and the sink drains.</param>
    /// <returns>The summary of the run; <see cref="RunSummary.Interrupted"/> tells whether it was stopped.</returns>
    public async Task<RunSummary> RunAsync(RunPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var consumers = plan.Consumers;
        var counters = new RunCounters();
        var statistics = new RunStatistics();
        var work = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(plan.ChannelCapacity)
        {
            // Wait, not drop: a full channel makes the producer's WriteAsync wait, which is the
            // back-pressure that keeps a huge source from being read faster than it is fetched.
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = consumers == 1,
            SingleWriter = plan.Sources.Count == 1,
        });
        var results = Channel.CreateBounded<FetchResult>(new BoundedChannelOptions(plan.ResultChannelCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
            SingleWriter = consumers == 1,
        });

        // Each run is the root of its own trace (unless the caller has a span open), so the two
        // runs of a comparison are two traces told apart by pipeline.mode.
        using var activity = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.RunSpanName);
        activity?.SetTag(SpanAttributes.Mode, ModeTag(plan.Mode));
        activity?.SetTag(SpanAttributes.Concurrency, consumers);
        activity?.SetTag(SpanAttributes.ChannelCapacity, plan.ChannelCapacity);
        activity?.SetTag(SpanAttributes.Sources, plan.Sources.Count);
        using var tracked = PipelineMetrics.Track(counters, plan.Mode);

        Log.RunStarted(logger, plan.Mode, consumers, plan.ChannelCapacity, plan.Sources.Count);
        plan.Observer?.OnRunStarted(plan, counters);
        var started = timeProvider.GetTimestamp();

        // Two stages of stopping: `stopping` ends reading and taking new items at once; `aborting`
        // cancels the fetches still in flight, after the grace period (at once if the sink failed).
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var aborting = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        using var graceTimer = stopping.Token.Register(() => aborting.CancelAfter(plan.ShutdownGrace));
        var run = new RunState(plan, counters, stopping, aborting)
        {
            // Fetches of broker items join the publisher's trace; a link keeps them findable from this run.
            RunLinks = activity is null ? [] : [new ActivityLink(activity.Context)],
        };
        var sinking = Task.Run(() => SinkAsync(run, results, statistics), CancellationToken.None);
        var producing = ProduceAllAsync(run, work.Writer);
        var consuming = ConsumeAllAsync(run, work.Reader, results.Writer);

        Exception? failure = null;
        try
        {
            await consuming;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A broken consumer stage must not leave producers waiting on a full channel forever.
            failure = ex;
            await stopping.CancelAsync();
            await aborting.CancelAsync();
        }

        await producing;
        var interrupted = stopping.IsCancellationRequested;
        long pending = 0;
        if (interrupted && !sinking.IsFaulted)
        {
            // Whatever was read but not fetched is still accounted for: one pending result each.
            while (work.Reader.TryRead(out var item) || run.Strays.TryDequeue(out item))
            {
                pending++;
                if (item.Acknowledgement is null)
                {
                    run.Unsettled.Enqueue(item);
                }

                var result = Settled(item, FetchOutcome.Pending, item.Acknowledgement is null ? "run stopped before this URL was fetched" : "run stopped before this URL was fetched: returned to the queue", plan.Mode);
                if (!results.Writer.TryWrite(result))
                {
                    await results.Writer.WriteAsync(result, CancellationToken.None);
                }
            }
        }

        results.Writer.TryComplete();
        await sinking;
        if (failure is not null)
        {
            throw new InvalidOperationException("The consumer stage failed.", failure);
        }

        var summary = statistics.ToSummary(plan, timeProvider.GetElapsedTime(started), counters, interrupted, run.Positions, [.. run.Unsettled], activity);
        activity?.SetTag(SpanAttributes.Urls, summary.Total);
        if (interrupted)
        {
            Log.RunInterrupted(logger, summary.Cancelled, pending);
            activity?.SetStatus(ActivityStatusCode.Error, "interrupted");
        }

        // The observer first: a live progress line is cleared before the log line is written.
        plan.Observer?.OnRunCompleted(summary);
        if (run.Duplicates?.IsFull == true)
        {
            Log.DuplicateTrackerFull(logger, DuplicateTracker.Capacity);
        }

        Log.RunFinished(logger, plan.Mode, summary.Total, summary.Wall.TotalSeconds, summary.Succeeded, summary.HttpErrors, summary.Failed, summary.Invalid);
        return summary;
    }

    internal static string ModeTag(PipelineMode mode) => mode == PipelineMode.Sequential ? "sequential" : "concurrent";

    // url.full must not carry credentials (OpenTelemetry HTTP conventions); the rest stays as written.
    private static string Redacted(string text, Uri url) => url.UserInfo.Length == 0
        ? text
        : new UriBuilder(url) { UserName = "REDACTED", Password = "REDACTED" }.Uri.AbsoluteUri;

    private FetchResult Settled(WorkItem item, FetchOutcome outcome, string? error, PipelineMode mode) => Attached(
        new FetchResult
        {
            Url = item.Text,
            Source = item.Source,
            Line = item.Line,
            Outcome = outcome,
            Error = error,
            Mode = mode,
            StartedAt = timeProvider.GetUtcNow(),
        },
        item);

    // What the source needs back travels with the result, so the sink stage can acknowledge it.
    private static FetchResult Attached(FetchResult result, WorkItem item)
    {
        result.Acknowledgement = item.Acknowledgement;
        result.MessageId = item.MessageId;
        result.Redelivered = item.Redelivered;
        return result;
    }

    private async Task ProduceAllAsync(RunState run, ChannelWriter<WorkItem> writer)
    {
        try
        {
            var producers = new Task[run.Plan.Sources.Count];
            for (var i = 0; i < producers.Length; i++)
            {
                var index = i;
                producers[i] = Task.Run(() => ProduceAsync(run, index, writer), CancellationToken.None);
            }

            await Task.WhenAll(producers);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task ProduceAsync(RunState run, int sourceIndex, ChannelWriter<WorkItem> writer)
    {
        var source = run.Plan.Sources[sourceIndex];
        var cancellationToken = run.Stopping.Token;
        using var activity = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.ProduceSpanName);
        activity?.SetTag(SpanAttributes.Source, source.Name);
        long lastLine = 0;
        long items = 0;
        var exhausted = false;
        WorkItem? inHand = null;
        try
        {
            await foreach (var read in source.ReadAsync(cancellationToken))
            {
                var item = read;
                inHand = item;
                items++;
                lastLine = item.Line;
                // A line resumed from the pending ledger keeps the marker it was saved with.
                if (item.DuplicateOf is null && item.Url is { } url && run.Duplicates?.IsRepeat(url, item.Source, item.Line, out var first) == true)
                {
                    item = inHand = item with { DuplicateOf = first };
                }

                run.Plan.Ledger?.Taken(sourceIndex, item);

                item.EnqueuedTimestamp = timeProvider.GetTimestamp();
                if (!writer.TryWrite(item))
                {
                    run.Counters.ProducerWaited();
                    run.Plan.Observer?.OnProducerBlocked(item);
                    await writer.WriteAsync(item, cancellationToken);
                }

                inHand = null;
                run.Counters.ItemEnqueued();
                PipelineMetrics.ItemEnqueued(run.Plan.Mode);
            }

            exhausted = true;
            run.Plan.Ledger?.Exhausted(sourceIndex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (inHand is not null)
            {
                run.Strays.Enqueue(inHand);
            }
        }
        catch (Exception ex) when (ex is not ChannelClosedException)
        {
            // A source that breaks (file deleted, disk error) ends as one failed line naming where
            // it stopped; the other sources and the URLs already read carry on.
            Log.SourceFailed(logger, source.Name, lastLine, ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var failed = new WorkItem(source.Name, lastLine + 1, string.Empty, null, $"source could not be read past line {lastLine}: {ex.Message}")
            {
                EnqueuedTimestamp = timeProvider.GetTimestamp(),
            };
            run.Plan.Ledger?.Taken(sourceIndex, failed);
            try
            {
                await writer.WriteAsync(failed, cancellationToken);
                run.Counters.ItemEnqueued();
                PipelineMetrics.ItemEnqueued(run.Plan.Mode);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                run.Strays.Enqueue(failed);
            }
        }

        run.Positions[sourceIndex] = new SourcePosition(items, lastLine, exhausted);
        activity?.SetTag(SpanAttributes.Items, items);
    }

    private async Task ConsumeAllAsync(RunState run, ChannelReader<WorkItem> reader, ChannelWriter<FetchResult> results)
    {
        var consumers = new Task[run.Plan.Consumers];
        for (var id = 0; id < consumers.Length; id++)
        {
            var consumerId = id;
            consumers[id] = Task.Run(() => ConsumeAsync(run, consumerId, reader, results), CancellationToken.None);
        }

        await Task.WhenAll(consumers);
    }

    private async Task ConsumeAsync(RunState run, int consumerId, ChannelReader<WorkItem> reader, ChannelWriter<FetchResult> results)
    {
        var cancellationToken = run.Stopping.Token;
        try
        {
            // Check before taking an item: once stopping, what is left in the channel is pending,
            // not something to start and cancel at once.
            while (!cancellationToken.IsCancellationRequested)
            {
                if (!reader.TryRead(out var item))
                {
                    // ReadAsync, not WaitToReadAsync: an idle consumer waits in a queue and a new
                    // item wakes exactly one of them, where WaitToReadAsync wakes every idle
                    // consumer for each item (64 wake-ups per URL when the fetches are quick).
                    try
                    {
                        item = await reader.ReadAsync(cancellationToken);
                    }
                    catch (ChannelClosedException)
                    {
                        break;
                    }

                    if (cancellationToken.IsCancellationRequested)
                    {
                        // Taken in the instant the run was stopped: pending like the rest of the channel.
                        run.Strays.Enqueue(item);
                        break;
                    }
                }

                var result = await SettleAsync(run, consumerId, item);

                // Not cancellable on purpose: a result that exists is written even while stopping.
                // The sink stage keeps draining, so this wait always ends.
                if (!results.TryWrite(result))
                {
                    await results.WriteAsync(result, CancellationToken.None);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is a normal end for a consumer.
        }
    }

    // Pooled: runs once per URL, and a fetch that waits on the network boxes its state machine.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<FetchResult> SettleAsync(RunState run, int consumerId, WorkItem item)
    {
        var plan = run.Plan;
        var counters = run.Counters;
        var cancellationToken = run.Aborting.Token;
        var queueWait = timeProvider.GetElapsedTime(item.EnqueuedTimestamp);
        if (!item.IsValid || item.DuplicateOf is not null)
        {
            var settled = item.IsValid
                ? Settled(item, FetchOutcome.Duplicate, $"duplicate of {item.DuplicateOf}: fetched once", plan.Mode)
                : Settled(item, FetchOutcome.Invalid, item.Error, plan.Mode);
            settled.ConsumerId = consumerId;
            settled.QueueWait = queueWait;
            return settled;
        }

        // Internal, not Client: HttpClient's own client span nests inside, and this one also
        // covers reading the body, which HttpClient's span (ended at the headers) does not.
        // A broker item continues the trace it was published in (a consumer span, as the messaging
        // conventions have it); the link ties it back to this run for the overlap figures.
        using var activity = item.ParentContext is { } remote
            ? PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.FetchSpanName, ActivityKind.Consumer, remote, links: run.RunLinks)
            : PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.FetchSpanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            var url = item.Url!;
            activity.SetTag(SpanAttributes.UrlFull, Redacted(item.Text, url));
            activity.SetTag(SpanAttributes.HttpRequestMethod, "GET");
            activity.SetTag(SpanAttributes.ServerAddress, url.IdnHost);
            activity.SetTag(SpanAttributes.ServerPort, url.Port);
            activity.SetTag(SpanAttributes.Source, item.Source);
            activity.SetTag(SpanAttributes.Line, item.Line);
            activity.SetTag(SpanAttributes.ConsumerId, consumerId);
            activity.SetTag(SpanAttributes.ChannelWaitMs, queueWait.TotalMilliseconds);
        }

        counters.FetchStarted();
        plan.Observer?.OnFetchStarted(item, consumerId);
        FetchResult result;
        var startedAt = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();
        try
        {
            result = await fetcher.FetchAsync(item, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (item.Acknowledgement is null)
            {
                run.Unsettled.Enqueue(item);
            }

            result = WithoutAnswer(FetchOutcome.Cancelled, "run stopped while this URL was being fetched");
        }
        catch (Exception ex)
        {
            // One URL's failure is that URL's result, never the end of the loop.
            Log.FetcherThrew(logger, item.Text, item.Source, item.Line, ex);
            result = WithoutAnswer(FetchOutcome.Failed, $"{ex.GetType().Name}: {ex.Message}");
        }
        finally
        {
            counters.FetchEnded();
        }

        // The fetcher gave no result of its own: one attempt was under way when it ended.
        FetchResult WithoutAnswer(FetchOutcome outcome, string error) => new()
        {
            Url = item.Text,
            Source = item.Source,
            Line = item.Line,
            Outcome = outcome,
            Error = error,
            StartedAt = startedAt,
            Duration = timeProvider.GetElapsedTime(started),
            Attempts = 1,
        };

        Attached(result, item);
        result.ConsumerId = consumerId;
        result.Mode = plan.Mode;
        result.QueueWait = queueWait;
        if (activity is { IsAllDataRequested: true })
        {
            if (result.StatusCode is { } status)
            {
                activity.SetTag(SpanAttributes.HttpResponseStatusCode, status);
            }

            activity.SetTag(SpanAttributes.Outcome, Sinks.JsonLinesResultSink.OutcomeName(result.Outcome));
            activity.SetTag(SpanAttributes.Bytes, result.Bytes);
            activity.SetTag(SpanAttributes.Attempt, result.Attempts);
            if (PipelineMetrics.ErrorTypeOf(result) is { } errorType)
            {
                activity.SetTag(SpanAttributes.ErrorType, errorType);
                activity.SetStatus(ActivityStatusCode.Error, result.Error);
            }
        }

        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.Fetched(logger, Sinks.JsonLinesResultSink.OutcomeName(result.Outcome), result.Url, result.StatusCode, result.Bytes, result.Duration.TotalMilliseconds, consumerId);
        }

        return result;
    }

    private async Task SinkAsync(RunState run, Channel<FetchResult> results, RunStatistics statistics)
    {
        var plan = run.Plan;
        var counters = run.Counters;
        using var activity = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.SinkSpanName);
        var reader = results.Reader;
        var unacknowledged = new List<FetchResult>();
        CancellationTokenSource? flushDue = null;

        // Only once the results are durable may the source forget their items (at-least-once).
        async Task FlushAndAcknowledgeAsync()
        {
            await plan.Sink.FlushAsync(CancellationToken.None);
            foreach (var done in unacknowledged)
            {
                await (done.Outcome is FetchOutcome.Pending or FetchOutcome.Cancelled
                    ? done.Acknowledgement!.ReleaseAsync(CancellationToken.None)
                    : done.Acknowledgement!.CompleteAsync(CancellationToken.None));
            }

            unacknowledged.Clear();
        }

        try
        {
            // The sink drains without a token: results that were fetched are written even when
            // the run is stopping, and the consumers complete the channel when they are done.
            var lastFlush = timeProvider.GetTimestamp();
            var lastCheckpoint = lastFlush;
            var unflushed = false;
            while (true)
            {
                while (reader.TryRead(out var result))
                {
                    statistics.Add(result);
                    counters.ResultTaken(result.Outcome);
                    PipelineMetrics.ResultSettled(result);
                    if (plan.Ledger is { } ledger && BatchLedger.KeepsInState(result))
                    {
                        // A line a stop left unsettled lives in the state until a later run settles
                        // it: the results file holds final outcomes only.
                        continue;
                    }

                    await plan.Sink.WriteAsync(result, CancellationToken.None);
                    plan.Ledger?.Settled(result);
                    unflushed = true;
                    if (result.Acknowledgement is not null)
                    {
                        unacknowledged.Add(result);
                    }
                }

                // Flush when the channel runs dry, but at most once per interval: a busy run
                // writes in chunks instead of once per result, and `tail -f` still keeps up.
                // Results a source waits to hear about are flushed at once: a broker hands out no
                // more work until they are acknowledged.
                var sinceFlush = timeProvider.GetElapsedTime(lastFlush);
                if (unflushed && (sinceFlush >= SinkFlushInterval || unacknowledged.Count > 0))
                {
                    await FlushAndAcknowledgeAsync();
                    (unflushed, lastFlush, sinceFlush) = (false, timeProvider.GetTimestamp(), TimeSpan.Zero);

                    // The flush made the results durable: now the checkpoint may say so.
                    if (plan.Ledger is { Interval.Ticks: > 0 } checkpointed && timeProvider.GetElapsedTime(lastCheckpoint) >= checkpointed.Interval)
                    {
                        await checkpointed.CheckpointAsync(CancellationToken.None);
                        lastCheckpoint = timeProvider.GetTimestamp();
                    }
                }

                if (!unflushed)
                {
                    if (!await reader.WaitToReadAsync(CancellationToken.None))
                    {
                        break;
                    }

                    continue;
                }

                // Something is written but not flushed: wait for more, but only until the flush is due.
                flushDue ??= new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
                flushDue.CancelAfter(SinkFlushInterval - sinceFlush);
                try
                {
                    if (!await reader.WaitToReadAsync(flushDue.Token))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException) when (flushDue.IsCancellationRequested)
                {
                    flushDue.Dispose();
                    flushDue = null;
                }
            }

            await FlushAndAcknowledgeAsync();
        }
        catch (Exception ex)
        {
            Log.SinkFailed(logger, ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            results.Writer.TryComplete(ex);
            await run.Stopping.CancelAsync();
            await run.Aborting.CancelAsync();
            throw;
        }
        finally
        {
            flushDue?.Dispose();
        }
    }
}
