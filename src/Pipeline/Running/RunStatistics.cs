using Pipeline.Fetching;

namespace Pipeline.Running;

/// <summary>Aggregates results in the sink stage (one thread) into a <see cref="RunSummary"/>, in constant memory.</summary>
internal sealed class RunStatistics
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

    public void Add(FetchResult result)
    {
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

        if (result.Attempts > 0 && result.Outcome != FetchOutcome.Cancelled)
        {
            _latency.Record(result.Duration);
        }
    }

    public RunSummary ToSummary(RunPlan plan, TimeSpan wall, RunCounters counters, bool interrupted, IReadOnlyList<Sources.SourcePosition> positions, IReadOnlyList<Sources.WorkItem> pending, System.Diagnostics.Activity? run, Concurrency.AdaptiveSummary? adaptive = null)
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
            Mode = plan.Mode,
            Consumers = plan.Consumers,
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
            PeakInFlight = counters.PeakInFlight,
            ProducerWaits = counters.ProducerWaits,
            Interrupted = interrupted,
            Enqueued = counters.Enqueued,
            LatencyMean = _latency.Mean,
            TraceId = run?.TraceId.ToHexString(),
            SpanId = run?.SpanId.ToHexString(),
            SourcePositions = positions,
            PendingItems = pending,
        };
    }
}
