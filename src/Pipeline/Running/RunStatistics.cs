using Pipeline.Fetching;

namespace Pipeline.Running;

/// <summary>
/// Aggregates results into a <see cref="RunSummary"/> in constant memory: counts by outcome and
/// status code, retries, and a log-bucket latency histogram. The runner's sink stage feeds it; a
/// collector that reads results back from elsewhere feeds one of its own.
/// </summary>
/// <remarks>Not thread-safe: one reader adds the results, as the sink stage is one task.</remarks>
public sealed class RunStatistics
{
    private const int MaxStatusCode = 999;
    private readonly LatencyHistogram _latency = new();
    private readonly long[] _statusCounts = new long[MaxStatusCode + 1];
    private long _total;
    private long _succeeded;
    private long _httpErrors;
    private long _failed;
    private long _invalid;
    private long _duplicates;
    private long _cancelled;
    private long _pending;
    private long _retries;
    private long _processed;
    private long _processErrors;
    private TimeSpan _processTime;

    /// <summary>Counts one result.</summary>
    /// <param name="result">The result.</param>
    public void Add(FetchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _total++;
        switch (result.Outcome)
        {
            case FetchOutcome.Succeeded: _succeeded++; break;
            case FetchOutcome.HttpError: _httpErrors++; break;
            case FetchOutcome.Failed: _failed++; break;
            case FetchOutcome.Invalid: _invalid++; break;
            case FetchOutcome.Duplicate: _duplicates++; break;
            case FetchOutcome.Cancelled: _cancelled++; break;
            case FetchOutcome.Pending: _pending++; break;
        }

        if (result.StatusCode is >= 0 and <= MaxStatusCode and var status)
        {
            _statusCounts[status]++;
        }

        if (result.Attempts > 1)
        {
            _retries += result.Attempts - 1;
        }

        if (result.Process is { } process)
        {
            _processed++;
            _processTime += process.Duration;
            _processErrors += process.Error is null ? 0 : 1;
        }

        if (result.Attempts > 0 && result.Outcome != FetchOutcome.Cancelled)
        {
            _latency.Record(result.Duration);
        }
    }

    /// <summary>Builds the summary of results gathered outside a run of this process (a collector's).</summary>
    /// <param name="mode">The mode the results were fetched in.</param>
    /// <param name="consumers">The consumers that fetched them, all processes together.</param>
    /// <param name="wall">The wall time they took.</param>
    /// <param name="peakInFlight">The largest number of fetches that were under way at once.</param>
    /// <param name="interrupted">Whether gathering was stopped before it was complete.</param>
    /// <param name="activity">The span of the gathering, whose trace the summary names, or <see langword="null"/>.</param>
    /// <returns>The summary.</returns>
    public RunSummary ToSummary(PipelineMode mode, int consumers, TimeSpan wall, long peakInFlight, bool interrupted, System.Diagnostics.Activity? activity)
        => ToSummary(mode, consumers, wall, new RunCounters(), peakInFlight, interrupted, [], [], activity);

    /// <summary>Builds the summary of one run of the runner.</summary>
    internal RunSummary ToSummary(RunPlan plan, TimeSpan wall, RunCounters counters, bool interrupted, IReadOnlyList<Sources.SourcePosition> positions, IReadOnlyList<Sources.WorkItem> pending, System.Diagnostics.Activity? run, Concurrency.AdaptiveSummary? adaptive = null)
        => ToSummary(plan.Mode, plan.Consumers, wall, counters, counters.PeakInFlight, interrupted, positions, pending, run, adaptive, plan.Processing?.Parallelism ?? 0);

    private RunSummary ToSummary(PipelineMode mode, int consumers, TimeSpan wall, RunCounters counters, long peakInFlight, bool interrupted, IReadOnlyList<Sources.SourcePosition> positions, IReadOnlyList<Sources.WorkItem> pending, System.Diagnostics.Activity? run, Concurrency.AdaptiveSummary? adaptive = null, int processWorkers = 0)
    {
        var statuses = new SortedDictionary<int, long>();
        for (var code = 0; code <= MaxStatusCode; code++)
        {
            if (_statusCounts[code] > 0)
            {
                statuses[code] = _statusCounts[code];
            }
        }

        return new RunSummary
        {
            Mode = mode,
            Consumers = consumers,
            Adaptive = adaptive,
            Wall = wall,
            Total = _total,
            Succeeded = _succeeded,
            HttpErrors = _httpErrors,
            Failed = _failed,
            Invalid = _invalid,
            Duplicates = _duplicates,
            Cancelled = _cancelled,
            Pending = _pending,
            Retries = _retries,
            StatusCounts = statuses,
            FetchTime = _latency.Sum,
            LatencyP50 = _latency.Percentile(50),
            LatencyP95 = _latency.Percentile(95),
            LatencyMax = _latency.Max,
            PeakInFlight = peakInFlight,
            ProducerWaits = counters.ProducerWaits,
            Interrupted = interrupted,
            Enqueued = counters.Enqueued,
            LatencyMean = _latency.Mean,
            TraceId = run?.TraceId.ToHexString(),
            SpanId = run?.SpanId.ToHexString(),
            SourcePositions = positions,
            PendingItems = pending,
            ProcessWorkers = processWorkers,
            Processed = _processed,
            ProcessTime = _processTime,
            ProcessErrors = _processErrors,
        };
    }
}
