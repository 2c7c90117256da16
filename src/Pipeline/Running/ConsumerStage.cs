using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Fetching;
using Pipeline.Sources;
using Pipeline.Telemetry;

namespace Pipeline.Running;

/// <summary>
/// The middle stage: 1 (<see cref="PipelineMode.Sequential"/>) or N (<see cref="PipelineMode.Concurrent"/>)
/// copies of one consumer loop take items from the work channel, settle each into exactly one result
/// (inside a <c>fetch url</c> span) and write it to the result channel.
/// </summary>
/// <remarks>
/// The modes share every line of this loop; only the number of loops differs, which is what makes a
/// comparison of the two honest. One URL's failure is that URL's result, never the loop's end.
/// With adaptive concurrency the plan starts its most consumers, and each loop passes the run's
/// consumer gate before it takes an item and its host's gate before it fetches: the number of active
/// loops follows the learned limit. Without it, neither gate exists and the loop pays two null checks.
/// </remarks>
/// <param name="run">What the stages of the run share: the plan, the counters and the stop signals.</param>
/// <param name="fetcher">Fetches one URL.</param>
/// <param name="timeProvider">The clock for durations and timestamps.</param>
/// <param name="logger">The logger.</param>
/// <param name="redactor">How URLs and error texts appear in spans and logs; <see cref="UrlRedactor.Default"/> when <see langword="null"/>.</param>
internal sealed class ConsumerStage(RunState run, IUrlFetcher fetcher, TimeProvider timeProvider, ILogger logger, UrlRedactor? redactor = null)
{
    private readonly UrlRedactor _redactor = redactor ?? UrlRedactor.Default;

    /// <summary>Runs the consumer loops until the work channel is completed and empty, or the run is stopping.</summary>
    /// <param name="reader">The work channel's reader.</param>
    /// <param name="results">The result channel's writer; not completed here (the runner adds the pending results first).</param>
    /// <param name="processing">The processing channel's writer when the run has a processing stage: every result goes there
    /// instead, with the body kept for it; not completed here. <see langword="null"/> otherwise.</param>
    /// <returns>A task that completes when every loop has ended.</returns>
    public async Task RunAsync(ChannelReader<WorkItem> reader, ChannelWriter<FetchResult> results, ChannelWriter<Processing.ProcessItem>? processing = null)
    {
        if (run.Adaptive is { } adaptive)
        {
            // Loops parked at the consumers' gate would wait for a permit forever once the work is done.
            _ = reader.Completion.ContinueWith(static (_, gate) => ((Concurrency.LimitGate)gate!).Open(), adaptive.Consumers, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        var consumers = new Task[run.Plan.Consumers];
        for (var id = 0; id < consumers.Length; id++)
        {
            var consumerId = id;
            consumers[id] = Task.Run(() => ConsumeAsync(consumerId, reader, results, processing), CancellationToken.None);
        }

        await Task.WhenAll(consumers);
    }

    /// <summary>Builds the result of an item that is settled without a fetch: invalid, a duplicate, or left pending by a stop.</summary>
    /// <param name="item">The item.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="error">Why, or <see langword="null"/>.</param>
    /// <param name="consumerId">The consumer that settled it (0 for what the runner drains).</param>
    /// <param name="queueWait">How long it waited in the work channel.</param>
    /// <returns>The result.</returns>
    public FetchResult Unfetched(WorkItem item, FetchOutcome outcome, string? error, int consumerId = 0, TimeSpan queueWait = default) => new()
    {
        Url = item.Text,
        Source = item.Source,
        Line = item.Line,
        Outcome = outcome,
        Error = error,
        Mode = run.Plan.Mode,
        StartedAt = timeProvider.GetUtcNow(),
        ConsumerId = consumerId,
        QueueWait = queueWait,

        // What the source needs back travels with the result, so the sink stage can acknowledge it.
        Delivery = item.Delivery,
    };

    private async Task ConsumeAsync(int consumerId, ChannelReader<WorkItem> reader, ChannelWriter<FetchResult> results, ChannelWriter<Processing.ProcessItem>? processing)
    {
        var cancellationToken = run.Stopping.Token;
        var adaptive = run.Adaptive;
        if (!run.Plan.FetchSpans)
        {
            // This loop's flow only: without a current span (the run's, inherited) HttpClient starts
            // no span of its own and sends no traceparent header, which nothing would read.
            Activity.Current = null;
        }

        try
        {
            // Check before taking an item: once stopping, what is left in the channel is pending,
            // not something to start and cancel at once.
            while (!cancellationToken.IsCancellationRequested)
            {
                // A permit leaked when the loop ends early does not matter: the gate ends with the run.
                if (adaptive is not null)
                {
                    await adaptive.Consumers.WaitAsync(cancellationToken);
                }

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

                Concurrency.HostState? host = null;
                if (adaptive is not null && item.IsValid && item.DuplicateOf is null)
                {
                    try
                    {
                        host = await adaptive.AcquireAsync(item.Url!, cancellationToken);
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        // Never started: pending like the rest of the channel.
                        run.Strays.Enqueue(item);
                        break;
                    }
                }

                var settled = await SettleAsync(consumerId, item);
                var result = settled.Result;
                if (host is not null)
                {
                    if (result.Outcome == FetchOutcome.Cancelled)
                    {
                        adaptive!.Abandon(host);
                    }
                    else
                    {
                        adaptive!.Complete(host, result);
                    }
                }

                // Not cancellable on purpose: a result that exists is written even while stopping.
                // The sink stage (and the processing stage before it) keeps draining, so this wait always ends.
                if (processing is not null)
                {
                    if (!processing.TryWrite(settled))
                    {
                        await processing.WriteAsync(settled, CancellationToken.None);
                    }
                }
                else if (!results.TryWrite(result))
                {
                    await results.WriteAsync(result, CancellationToken.None);
                }

                adaptive?.Consumers.Release();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is a normal end for a consumer.
        }
    }

    // Pooled: runs once per URL, and a fetch that waits on the network boxes its state machine.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<Processing.ProcessItem> SettleAsync(int consumerId, WorkItem item)
    {
        var plan = run.Plan;
        var counters = run.Counters;
        var cancellationToken = run.Aborting.Token;
        var queueWait = timeProvider.GetElapsedTime(item.EnqueuedTimestamp);
        if (!item.IsValid || item.DuplicateOf is not null)
        {
            return new(
                item.IsValid
                    ? Unfetched(item, FetchOutcome.Duplicate, $"duplicate of {item.DuplicateOf}: fetched once", consumerId, queueWait)
                    : Unfetched(item, FetchOutcome.Invalid, item.Error, consumerId, queueWait),
                null,
                default);
        }

        using var activity = StartFetchSpan(item, consumerId, queueWait);
        counters.FetchStarted();
        plan.Observer?.OnFetchStarted(item, consumerId);
        FetchResult result;
        var startedAt = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();

        // Kept only when a processing step reads bodies; the processing worker that takes it returns its buffer.
        var body = plan.Processing is { KeepsBodies: true } processing ? new Processing.ResponseBody(processing.MaxBodyBytes) : null;
        try
        {
            result = await fetcher.FetchAsync(item, body, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (item.Delivery is null)
            {
                run.Unsettled.Enqueue(item);
            }

            result = WithoutAnswer(FetchOutcome.Cancelled, "run stopped while this URL was being fetched");
        }
        catch (Exception ex)
        {
            // One URL's failure is that URL's result, never the end of the loop.
            Log.FetcherThrew(logger, _redactor.ForTelemetry(item.Text), item.Source, item.Line, ex);
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

        // What only the pipeline knows, and what the source needs back so the sink stage can acknowledge it.
        result = result with { ConsumerId = consumerId, Mode = plan.Mode, QueueWait = queueWait, Delivery = item.Delivery };
        EndFetchSpan(activity, result);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            Log.Fetched(logger, WireNames.Outcome(result.Outcome), _redactor.ForTelemetry(result.Url), result.StatusCode, result.Bytes, result.Duration.TotalMilliseconds, consumerId);
        }

        return new(result, body, activity?.Context ?? default);
    }

    // The fetch span, all in one place: started before the fetch with what is known of the request,
    // completed after it with what the answer was.
    //
    // Internal, not Client: HttpClient's own client span nests inside, and this one also covers
    // reading the body, which HttpClient's span (ended at the headers) does not. A broker item
    // continues the trace it was published in (a consumer span, as the messaging conventions have
    // it); the link ties it back to this run for the overlap figures.
    private Activity? StartFetchSpan(WorkItem item, int consumerId, TimeSpan queueWait)
    {
        var remote = item.Delivery?.ParentContext;
        if (remote is null && !run.Plan.FetchSpans)
        {
            return null;
        }

        var activity = remote is { } parent
            ? PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.FetchSpanName, ActivityKind.Consumer, parent, links: run.RunLinks)
            : PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.FetchSpanName, ActivityKind.Internal);
        if (activity is { IsAllDataRequested: true })
        {
            var url = item.Url!;
            activity.SetTag(SpanAttributes.UrlFull, _redactor.ForTelemetry(item.Text));
            activity.SetTag(SpanAttributes.HttpRequestMethod, "GET");
            activity.SetTag(SpanAttributes.ServerAddress, url.IdnHost);
            activity.SetTag(SpanAttributes.ServerPort, url.Port);
            activity.SetTag(SpanAttributes.Source, item.Source);
            activity.SetTag(SpanAttributes.Line, item.Line);
            activity.SetTag(SpanAttributes.ConsumerId, consumerId);
            activity.SetTag(SpanAttributes.ChannelWaitMs, queueWait.TotalMilliseconds);
        }

        return activity;
    }

    private void EndFetchSpan(Activity? activity, FetchResult result)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        if (result.StatusCode is { } status)
        {
            activity.SetTag(SpanAttributes.HttpResponseStatusCode, status);
        }

        activity.SetTag(SpanAttributes.Outcome, WireNames.Outcome(result.Outcome));
        activity.SetTag(SpanAttributes.Bytes, result.Bytes);
        activity.SetTag(SpanAttributes.Attempt, result.Attempts);
        if (ErrorTypes.Of(result) is { } errorType)
        {
            activity.SetTag(SpanAttributes.ErrorType, errorType);
            activity.SetStatus(ActivityStatusCode.Error, _redactor.TextForTelemetry(result.Error));
        }
    }
}
