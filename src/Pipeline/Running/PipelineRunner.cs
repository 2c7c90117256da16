using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Fetching;
using Pipeline.Sources;
using Pipeline.Telemetry;

namespace Pipeline.Running;

/// <summary>
/// Runs one plan: <see cref="ProducerStage"/> → bounded work channel → <see cref="ConsumerStage"/>
/// (1 or N loops) → bounded result channel → <see cref="SinkStage"/>. The runner builds the channels,
/// starts the stages and, when the run is stopped, drains what is left into pending results.
/// </summary>
/// <remarks>
/// Sequential and concurrent runs share every line of code; the only difference is how many
/// consumer loops read the work channel. That is what makes a comparison of the two honest.
/// </remarks>
/// <param name="fetcher">Fetches one URL.</param>
/// <param name="timeProvider">The clock for durations, timestamps and the sink's flush interval.</param>
/// <param name="logger">The logger.</param>
/// <param name="redactor">How URLs and error texts appear in spans and logs; <see cref="UrlRedactor.Default"/> when <see langword="null"/>.</param>
public sealed class PipelineRunner(IUrlFetcher fetcher, TimeProvider timeProvider, ILogger<PipelineRunner> logger, UrlRedactor? redactor = null)
{
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
            SingleWriter = consumers == 1 && plan.Processing is not { Parallelism: > 1 },
        });

        // The optional third channel, small: each item in it may hold a body of up to MaxBodyBytes.
        var processing = plan.Processing is { } processPlan
            ? Channel.CreateBounded<Processing.ProcessItem>(new BoundedChannelOptions(processPlan.ChannelCapacity)
            {
                FullMode = BoundedChannelFullMode.Wait,
                SingleReader = processPlan.Parallelism == 1,
                SingleWriter = consumers == 1,
            })
            : null;

        // Each run is the root of its own trace (unless the caller has a span open), so the two
        // runs of a comparison are two traces told apart by pipeline.mode.
        using var activity = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.RunSpanName);
        activity?.SetTag(SpanAttributes.Mode, WireNames.Mode(plan.Mode));
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
            Adaptive = plan.Adaptive is { } bounds ? new Concurrency.AdaptiveConcurrency(bounds, timeProvider, counters.LimitChanged) : null,
            // Fetches of broker items join the publisher's trace; a link keeps them findable from this run.
            RunLinks = activity is null ? [] : [new ActivityLink(activity.Context)],
        };
        var producer = new ProducerStage(plan.Sources, plan.Duplicates, plan.Mode, counters, plan.Observer, timeProvider, logger, plan.Ledger);
        var consumer = new ConsumerStage(run, fetcher, timeProvider, logger, redactor ?? UrlRedactor.Default);
        var processor = plan.Processing is { } steps ? new Processing.ProcessStage(steps, run, timeProvider, logger, redactor ?? UrlRedactor.Default) : null;
        var sink = new SinkStage(plan.Sink, statistics, counters, timeProvider, logger, plan.Ledger);
        var sinking = Task.Run(
            () => sink.RunAsync(results.Reader, async failure =>
            {
                results.Writer.TryComplete(failure);
                await stopping.CancelAsync();
                await aborting.CancelAsync();
            }),
            CancellationToken.None);
        var processed = processor?.RunAsync(processing!.Reader, results.Writer, failure =>
        {
            // Consumers waiting for room in the processing channel must not wait forever.
            Log.ProcessStageFailed(logger, failure);
            processing.Writer.TryComplete(failure);
            stopping.Cancel();
            aborting.Cancel();
        }) ?? Task.CompletedTask;
        var producing = producer.RunAsync(work.Writer, stopping.Token);
        var consuming = consumer.RunAsync(work.Reader, results.Writer, processing?.Writer);

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

        // Every fetched result is in the processing channel: the workers finish it, then end.
        processing?.Writer.TryComplete();
        try
        {
            await processed;
        }
        catch (Exception ex)
        {
            // A failed sink closed the result channel under the workers: its own error is what the run reports.
            failure ??= ex;
        }

        var interrupted = stopping.IsCancellationRequested;
        var pending = interrupted && !sinking.IsFaulted ? await DrainAsync(run, consumer, work.Reader, producer, results.Writer) : 0;
        results.Writer.TryComplete();
        await sinking;
        if (failure is not null)
        {
            throw new InvalidOperationException(processed.IsFaulted ? "The processing stage failed." : "The consumer stage failed.", failure);
        }

        var summary = statistics.ToSummary(plan, timeProvider.GetElapsedTime(started), counters, interrupted, producer.Positions, [.. run.Unsettled], activity, run.Adaptive?.Summarize());
        activity?.SetTag(SpanAttributes.Urls, summary.Total);
        if (interrupted)
        {
            Log.RunInterrupted(logger, summary.Cancelled, pending);
            activity?.SetStatus(ActivityStatusCode.Error, "interrupted");
        }

        // The observer first: a live progress line is cleared before the log line is written.
        plan.Observer?.OnRunCompleted(summary);
        if (producer.Duplicates?.IsFull == true)
        {
            Log.DuplicateTrackerFull(logger, DuplicateTracker.Capacity);
        }

        Log.RunFinished(logger, summary);
        return summary;
    }

    // Whatever was read but not fetched is still accounted for: one pending result each, for what is
    // left in the work channel and what a producer or consumer held at the instant of the stop.
    private static async Task<long> DrainAsync(RunState run, ConsumerStage consumer, ChannelReader<WorkItem> work, ProducerStage producer, ChannelWriter<FetchResult> results)
    {
        long pending = 0;
        while (work.TryRead(out var item) || producer.HeldItems.TryDequeue(out item) || run.Strays.TryDequeue(out item))
        {
            pending++;
            if (item.Delivery is null)
            {
                run.Unsettled.Enqueue(item);
            }

            var result = consumer.Unfetched(item, FetchOutcome.Pending, item.Delivery is null ? "run stopped before this URL was fetched" : "run stopped before this URL was fetched: returned to the queue");
            if (!results.TryWrite(result))
            {
                try
                {
                    await results.WriteAsync(result, CancellationToken.None);
                }
                catch (ChannelClosedException)
                {
                    // The sink failed and closed the channel while this drain began: its error is
                    // what the run reports, not this one.
                    break;
                }
            }
        }

        return pending;
    }
}
