using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Fetching;
using Pipeline.Sinks;
using Pipeline.Telemetry;

namespace Pipeline.Running;

/// <summary>
/// The last stage: one task reads the result channel, counts every result (statistics, live counters,
/// metrics: the one place each line passes exactly once), writes it to the sink, flushes, and only
/// then tells the sources that their items are done.
/// </summary>
/// <remarks>
/// It flushes when the channel runs dry, but at most once per <see cref="FlushInterval"/> (a timer on
/// the injected <see cref="TimeProvider"/> flushes what a quiet spell leaves): a busy run writes in
/// chunks instead of once per result, and <c>tail -f</c> stays within the interval. Results a source
/// waits to hear about are flushed at once: a broker hands out no more work until they are
/// acknowledged. The stage drains without a token: results that exist are always written.
/// </remarks>
/// <param name="sink">Where the results go.</param>
/// <param name="statistics">What the summary is built from.</param>
/// <param name="counters">The run's live counters.</param>
/// <param name="timeProvider">The clock of the flush interval.</param>
/// <param name="logger">The logger.</param>
internal sealed class SinkStage(IResultSink sink, RunStatistics statistics, RunCounters counters, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>How stale the results may get while results keep coming: short enough for <c>tail -f</c>,
    /// long enough that a busy run flushes a few times a second instead of once per result.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>Reads the result channel until it is completed and drained.</summary>
    /// <param name="reader">The result channel's reader.</param>
    /// <param name="failed">Called when the sink fails, before the exception is rethrown: the runner completes the
    /// result channel with the error and stops the run, so nobody waits forever on a channel nobody reads.</param>
    /// <returns>A task that completes when every result is written, flushed and acknowledged.</returns>
    public async Task RunAsync(ChannelReader<FetchResult> reader, Func<Exception, Task> failed)
    {
        using var activity = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.SinkSpanName);
        var unacknowledged = new List<FetchResult>();
        CancellationTokenSource? flushDue = null;

        // Only once the results are durable may the source forget their items (at-least-once).
        async Task FlushAndAcknowledgeAsync()
        {
            await sink.FlushAsync(CancellationToken.None);
            foreach (var done in unacknowledged)
            {
                await (done.Outcome is FetchOutcome.Pending or FetchOutcome.Cancelled
                    ? done.Delivery!.ReleaseAsync(CancellationToken.None)
                    : done.Delivery!.CompleteAsync(CancellationToken.None));
            }

            unacknowledged.Clear();
        }

        try
        {
            var lastFlush = timeProvider.GetTimestamp();
            var unflushed = false;
            while (true)
            {
                while (reader.TryRead(out var result))
                {
                    statistics.Add(result);
                    counters.ResultTaken(result.Outcome);
                    PipelineMetrics.ResultSettled(result);
                    await sink.WriteAsync(result, CancellationToken.None);
                    unflushed = true;
                    if (result.Delivery is not null)
                    {
                        unacknowledged.Add(result);
                    }
                }

                var sinceFlush = timeProvider.GetElapsedTime(lastFlush);
                if (unflushed && (sinceFlush >= FlushInterval || unacknowledged.Count > 0))
                {
                    await FlushAndAcknowledgeAsync();
                    (unflushed, lastFlush, sinceFlush) = (false, timeProvider.GetTimestamp(), TimeSpan.Zero);
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
                flushDue.CancelAfter(FlushInterval - sinceFlush);
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
            await failed(ex);
            throw;
        }
        finally
        {
            flushDue?.Dispose();
        }
    }
}
