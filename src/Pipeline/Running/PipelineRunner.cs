using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Fetching;
using Pipeline.Sources;
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

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var strays = new ConcurrentQueue<WorkItem>();
        var sinking = Task.Run(() => SinkAsync(plan, results, statistics, counters, stopping), CancellationToken.None);
        var producing = ProduceAllAsync(plan, work.Writer, counters, strays, stopping.Token);
        var consuming = ConsumeAllAsync(plan, work.Reader, results.Writer, counters, stopping.Token);

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
        }

        await producing;
        var interrupted = stopping.IsCancellationRequested;
        long pending = 0;
        if (interrupted && !sinking.IsFaulted)
        {
            // Whatever was read but not fetched is still accounted for: one pending result each.
            while (work.Reader.TryRead(out var item) || strays.TryDequeue(out item))
            {
                pending++;
                var result = Settled(item, FetchOutcome.Pending, "run stopped before this URL was fetched", plan.Mode);
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

        var summary = statistics.ToSummary(plan, timeProvider.GetElapsedTime(started), counters, interrupted, activity);
        activity?.SetTag(SpanAttributes.Urls, summary.Total);
        if (interrupted)
        {
            Log.RunInterrupted(logger, summary.Cancelled, pending);
            activity?.SetStatus(ActivityStatusCode.Error, "interrupted");
        }

        Log.RunFinished(logger, plan.Mode, summary.Total, summary.Wall.TotalSeconds, summary.Succeeded, summary.HttpErrors, summary.Failed, summary.Invalid);
        plan.Observer?.OnRunCompleted(summary);
        return summary;
    }

    internal static string ModeTag(PipelineMode mode) => mode == PipelineMode.Sequential ? "sequential" : "concurrent";

    // url.full must not carry credentials (OpenTelemetry HTTP conventions); the rest stays as written.
    private static string Redacted(string text, Uri url) => url.UserInfo.Length == 0
        ? text
        : new UriBuilder(url) { UserName = "REDACTED", Password = "REDACTED" }.Uri.AbsoluteUri;

    private static FetchResult Settled(WorkItem item, FetchOutcome outcome, string? error, PipelineMode mode) => new()
    {
        Url = item.Text,
        Source = item.Source,
        Line = item.Line,
        Outcome = outcome,
        Error = error,
        Mode = mode,
    };

    private async Task ProduceAllAsync(RunPlan plan, ChannelWriter<WorkItem> writer, RunCounters counters, ConcurrentQueue<WorkItem> strays, CancellationToken cancellationToken)
    {
        try
        {
            var producers = new Task[plan.Sources.Count];
            for (var i = 0; i < producers.Length; i++)
            {
                var source = plan.Sources[i];
                producers[i] = Task.Run(() => ProduceAsync(plan, source, writer, counters, strays, cancellationToken), CancellationToken.None);
            }

            await Task.WhenAll(producers);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task ProduceAsync(RunPlan plan, IUrlSource source, ChannelWriter<WorkItem> writer, RunCounters counters, ConcurrentQueue<WorkItem> strays, CancellationToken cancellationToken)
    {
        using var activity = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.ProduceSpanName);
        activity?.SetTag(SpanAttributes.Source, source.Name);
        long lastLine = 0;
        long items = 0;
        WorkItem? inHand = null;
        try
        {
            await foreach (var item in source.ReadAsync(cancellationToken))
            {
                inHand = item;
                lastLine = item.Line;
                item.EnqueuedTimestamp = timeProvider.GetTimestamp();
                if (!writer.TryWrite(item))
                {
                    counters.ProducerWaited();
                    plan.Observer?.OnProducerBlocked(source.Name);
                    await writer.WriteAsync(item, cancellationToken);
                }

                inHand = null;
                items++;
                counters.ItemEnqueued();
                PipelineMetrics.ItemEnqueued(plan.Mode);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (inHand is not null)
            {
                strays.Enqueue(inHand);
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
            try
            {
                await writer.WriteAsync(failed, cancellationToken);
                counters.ItemEnqueued();
                PipelineMetrics.ItemEnqueued(plan.Mode);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                strays.Enqueue(failed);
            }
        }

        activity?.SetTag(SpanAttributes.Items, items);
    }

    private async Task ConsumeAllAsync(RunPlan plan, ChannelReader<WorkItem> reader, ChannelWriter<FetchResult> results, RunCounters counters, CancellationToken cancellationToken)
    {
        var consumers = new Task[plan.Consumers];
        for (var id = 0; id < consumers.Length; id++)
        {
            var consumerId = id;
            consumers[id] = Task.Run(() => ConsumeAsync(plan, consumerId, reader, results, counters, cancellationToken), CancellationToken.None);
        }

        await Task.WhenAll(consumers);
    }

    private async Task ConsumeAsync(RunPlan plan, int consumerId, ChannelReader<WorkItem> reader, ChannelWriter<FetchResult> results, RunCounters counters, CancellationToken cancellationToken)
    {
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken))
            {
                // Check before taking an item: once stopping, what is left in the channel is
                // pending, not something to start and cancel at once.
                while (!cancellationToken.IsCancellationRequested && reader.TryRead(out var item))
                {
                    var result = await SettleAsync(plan, consumerId, item, counters, cancellationToken);

                    // Not cancellable on purpose: a result that exists is written even while stopping.
                    // The sink stage keeps draining, so this wait always ends.
                    if (!results.TryWrite(result))
                    {
                        await results.WriteAsync(result, CancellationToken.None);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping is a normal end for a consumer.
        }
    }

    private async ValueTask<FetchResult> SettleAsync(RunPlan plan, int consumerId, WorkItem item, RunCounters counters, CancellationToken cancellationToken)
    {
        var queueWait = timeProvider.GetElapsedTime(item.EnqueuedTimestamp);
        if (!item.IsValid)
        {
            var invalid = Settled(item, FetchOutcome.Invalid, item.Error, plan.Mode);
            invalid.ConsumerId = consumerId;
            invalid.QueueWait = queueWait;
            return invalid;
        }

        // Internal, not Client: HttpClient's own client span nests inside, and this one also
        // covers reading the body, which HttpClient's span (ended at the headers) does not.
        using var activity = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.FetchSpanName, ActivityKind.Internal);
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
        var started = timeProvider.GetTimestamp();
        try
        {
            result = await fetcher.FetchAsync(item, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            result = new FetchResult
            {
                Url = item.Text,
                Source = item.Source,
                Line = item.Line,
                Outcome = FetchOutcome.Cancelled,
                Error = "run stopped while this URL was being fetched",
                Duration = timeProvider.GetElapsedTime(started),
                Attempts = 1,
            };
        }
        catch (Exception ex)
        {
            // One URL's failure is that URL's result, never the end of the loop.
            Log.FetcherThrew(logger, item.Text, item.Source, item.Line, ex);
            result = new FetchResult
            {
                Url = item.Text,
                Source = item.Source,
                Line = item.Line,
                Outcome = FetchOutcome.Failed,
                Error = $"{ex.GetType().Name}: {ex.Message}",
                Duration = timeProvider.GetElapsedTime(started),
                Attempts = 1,
            };
        }
        finally
        {
            counters.FetchEnded();
        }

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

    private async Task SinkAsync(RunPlan plan, Channel<FetchResult> results, RunStatistics statistics, RunCounters counters, CancellationTokenSource stopping)
    {
        using var activity = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.SinkSpanName);
        var reader = results.Reader;
        try
        {
            // The sink drains without a token: results that were fetched are written even when
            // the run is stopping, and the consumers complete the channel when they are done.
            while (await reader.WaitToReadAsync(CancellationToken.None))
            {
                while (reader.TryRead(out var result))
                {
                    statistics.Add(result);
                    counters.ResultTaken(result.Outcome);
                    PipelineMetrics.ResultSettled(result);
                    await plan.Sink.WriteAsync(result, CancellationToken.None);
                }

                // Flush whenever the channel runs dry: cheap batching, and `tail -f` keeps up.
                await plan.Sink.FlushAsync(CancellationToken.None);
            }
        }
        catch (Exception ex)
        {
            Log.SinkFailed(logger, ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            results.Writer.TryComplete(ex);
            await stopping.CancelAsync();
            throw;
        }
    }
}
