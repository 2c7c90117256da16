using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Pipeline.Fetching;
using Pipeline.Running;

namespace Pipeline.Telemetry;

/// <summary>The instruments of the <c>Pipeline</c> meter, and the live runs its gauges observe.</summary>
internal static class PipelineMetrics
{
    private static readonly ConcurrentDictionary<RunCounters, string> ActiveRuns = new();

    private static readonly Counter<long> Enqueued = PipelineTelemetry.Meter.CreateCounter<long>(
        "pipeline.items.enqueued", "{item}", "Items producers wrote to the work channel.");

    private static readonly Counter<long> Settled = PipelineTelemetry.Meter.CreateCounter<long>(
        "pipeline.items.settled", "{item}", "Results taken by the sink, by pipeline.outcome: every input line ends here exactly once.");

    private static readonly Counter<long> Failed = PipelineTelemetry.Meter.CreateCounter<long>(
        "pipeline.items.failed", "{item}", "Fetches without a usable answer or with a 4xx/5xx status, by error.type.");

    private static readonly Counter<long> Abandoned = PipelineTelemetry.Meter.CreateCounter<long>(
        "pipeline.items.abandoned", "{item}", "Lines never fetched to the end, by pipeline.reason: invalid, duplicate, cancelled, pending (the outcome names).");

    private static readonly Histogram<double> FetchDuration = PipelineTelemetry.Meter.CreateHistogram(
        "pipeline.fetch.duration", "s", "Time from the first request byte to the last body byte.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] });

    private static readonly Histogram<double> ChannelWait = PipelineTelemetry.Meter.CreateHistogram(
        "pipeline.channel.wait", "s", "Time an item waited in the work channel before a consumer took it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0001, 0.001, 0.01, 0.1, 0.5, 1, 5, 10, 30, 60] });

    static PipelineMetrics()
    {
        PipelineTelemetry.Meter.CreateObservableGauge(
            "pipeline.channel.depth", () => Observe(c => c.QueueDepth), "{item}", "Items waiting in the work channel now.");
        PipelineTelemetry.Meter.CreateObservableGauge(
            "pipeline.fetches.in_flight", () => Observe(c => c.InFlight), "{fetch}", "Fetches under way now.");
        PipelineTelemetry.Meter.CreateObservableGauge(
            "pipeline.concurrency.limit", () => Observe(c => c.ConcurrencyLimit, adaptiveOnly: true), "{consumer}", "Consumers adaptive concurrency allows now (runs with --concurrency auto only).");
    }

    /// <summary>Makes a run's live counters visible to the gauges until the returned handle is disposed.</summary>
    public static IDisposable Track(RunCounters counters, PipelineMode mode)
    {
        ActiveRuns[counters] = WireNames.Mode(mode);
        return new Untrack(counters);
    }

    public static void ItemEnqueued(PipelineMode mode) => Enqueued.Add(1, new KeyValuePair<string, object?>(SpanAttributes.Mode, WireNames.Mode(mode)));

    /// <summary>Records one result as the sink takes it: the single place every line is counted.</summary>
    public static void ResultSettled(FetchResult result)
    {
        var mode = new KeyValuePair<string, object?>(SpanAttributes.Mode, WireNames.Mode(result.Mode));
        var outcome = WireNames.Outcome(result.Outcome);
        Settled.Add(1, mode, new KeyValuePair<string, object?>(SpanAttributes.Outcome, outcome));
        // Abandoned is everything that did not reach a server's answer or a failure of its own:
        // invalid lines, fetches cut short, items left in the channel (and any outcome added later).
        if (!result.IsFetched && result.Outcome != FetchOutcome.Failed)
        {
            Abandoned.Add(1, mode, new KeyValuePair<string, object?>(SpanAttributes.Reason, outcome));
        }

        if (result.Outcome is FetchOutcome.Failed or FetchOutcome.HttpError)
        {
            Failed.Add(1, mode, new KeyValuePair<string, object?>(SpanAttributes.ErrorType, ErrorTypes.Of(result)));
        }

        if (result.Outcome != FetchOutcome.Pending)
        {
            ChannelWait.Record(result.QueueWait.TotalSeconds, mode);
        }

        if (result.Attempts > 0 && result.Outcome != FetchOutcome.Cancelled)
        {
            FetchDuration.Record(result.Duration.TotalSeconds, mode, new KeyValuePair<string, object?>(SpanAttributes.Outcome, outcome));
        }
    }

    private static IEnumerable<Measurement<long>> Observe(Func<RunCounters, long> read, bool adaptiveOnly = false)
    {
        foreach (var (counters, mode) in ActiveRuns)
        {
            if (adaptiveOnly && counters.ConcurrencyLimit == 0)
            {
                continue;
            }

            yield return new Measurement<long>(read(counters), new KeyValuePair<string, object?>(SpanAttributes.Mode, mode));
        }
    }

    private sealed class Untrack(RunCounters counters) : IDisposable
    {
        public void Dispose() => ActiveRuns.TryRemove(counters, out _);
    }
}
