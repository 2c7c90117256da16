using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using OpenTelemetry;

namespace Pipeline.Telemetry;

/// <summary>
/// An in-process span processor that keeps the <c>fetch url</c> spans of each run, for the overlap
/// figures, the text timeline and the HTML report.
/// </summary>
/// <remarks>
/// Runs are told apart by their <c>run pipeline</c> span, the parent of every fetch span, so
/// concurrent runs (or tests) never mix. Memory is bounded: at most
/// <see cref="TelemetryOptions.ReportSpanLimit"/> spans per run, and runs nobody claims are forgotten.
/// </remarks>
public sealed class FetchSpanCollector : BaseProcessor<Activity>
{
    // A run is claimed right after it ends; more than this many unclaimed means nobody will.
    private const int MaxUnclaimedRuns = 16;
    private readonly ConcurrentDictionary<ActivitySpanId, RunSpans> _runs = new();
    private readonly ConcurrentQueue<ActivitySpanId> _arrival = new();
    private readonly int _limit;

    internal FetchSpanCollector(int limit) => _limit = limit;

    /// <inheritdoc/>
    public override void OnStart(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Source != PipelineTelemetry.ActivitySource)
        {
            return;
        }

        if (data.OperationName == PipelineTelemetry.RunSpanName)
        {
            _runs[data.SpanId] = new RunSpans(data, _limit);
            _arrival.Enqueue(data.SpanId);
            while (_runs.Count > MaxUnclaimedRuns && _arrival.TryDequeue(out var oldest))
            {
                _runs.TryRemove(oldest, out _);
            }
        }
        else if (data.OperationName == PipelineTelemetry.FetchSpanName && RunOf(data) is { } run)
        {
            run.FetchStarted();
        }
    }

    /// <inheritdoc/>
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Source == PipelineTelemetry.ActivitySource
            && data.OperationName == PipelineTelemetry.FetchSpanName
            && RunOf(data) is { } run)
        {
            run.FetchEnded(data);
        }
    }

    /// <summary>Hands over the spans of a run that has ended, and forgets them.</summary>
    /// <param name="runSpanId">The hex id of the run's <c>run pipeline</c> span.</param>
    /// <returns>The run's trace, or <see langword="null"/> when it was not seen (no tracer provider, or too long ago).</returns>
    internal RunTrace? Take(string? runSpanId)
    {
        if (runSpanId is not { Length: 16 } || !_runs.TryRemove(ActivitySpanId.CreateFromString(runSpanId), out var run))
        {
            return null;
        }

        return run.ToTrace();
    }

    // The run is the parent, or, for a fetch that continues a publisher's trace, the linked span.
    private RunSpans? RunOf(Activity fetch)
    {
        if (_runs.TryGetValue(fetch.ParentSpanId, out var run))
        {
            return run;
        }

        foreach (var link in fetch.Links)
        {
            if (_runs.TryGetValue(link.Context.SpanId, out run))
            {
                return run;
            }
        }

        return null;
    }

    private sealed class RunSpans(Activity run, int limit)
    {
        private readonly Lock _gate = new();
        private readonly List<FetchSpan> _kept = [];
        private int _open;
        private int _peak;
        private long _count;
        private TimeSpan _busy;
        private DateTime _firstStart = DateTime.MaxValue;
        private DateTime _lastEnd = DateTime.MinValue;

        public void FetchStarted()
        {
            // Counted as the spans open and close, in the order that happened: exact whatever the cap.
            lock (_gate)
            {
                _open++;
                _peak = Math.Max(_peak, _open);
            }
        }

        public void FetchEnded(Activity span)
        {
            var end = span.StartTimeUtc + span.Duration;
            lock (_gate)
            {
                _open--;
                _count++;
                _busy += span.Duration;
                _firstStart = span.StartTimeUtc < _firstStart ? span.StartTimeUtc : _firstStart;
                _lastEnd = end > _lastEnd ? end : _lastEnd;
                if (_kept.Count < limit)
                {
                    _kept.Add(ToFetchSpan(span));
                }
            }
        }

        public RunTrace ToTrace()
        {
            lock (_gate)
            {
                var window = _lastEnd - _firstStart;
                return new RunTrace
                {
                    Mode = WireNames.TryParseMode(run.GetTagItem(SpanAttributes.Mode) as string, out var mode) ? mode : PipelineMode.Concurrent,
                    Consumers = Number(run.GetTagItem(SpanAttributes.Concurrency)),
                    TraceId = run.TraceId.ToHexString(),
                    SpanId = run.SpanId.ToHexString(),
                    StartedAt = run.StartTimeUtc,
                    Duration = run.Duration,
                    Spans = [.. _kept.OrderBy(s => s.Start)],
                    SpanCount = _count,
                    PeakOverlap = _peak,
                    MeanOverlap = window > TimeSpan.Zero ? _busy / window : _count > 0 ? 1 : 0,
                };
            }
        }

        private FetchSpan ToFetchSpan(Activity span) => new()
        {
            Start = span.StartTimeUtc - run.StartTimeUtc,
            Duration = span.Duration,
            Url = span.GetTagItem(SpanAttributes.UrlFull) as string ?? string.Empty,
            Outcome = span.GetTagItem(SpanAttributes.Outcome) as string ?? "unknown",
            StatusCode = span.GetTagItem(SpanAttributes.HttpResponseStatusCode) is { } status ? Number(status) : null,
            ConsumerId = Number(span.GetTagItem(SpanAttributes.ConsumerId)),
            Attempt = Number(span.GetTagItem(SpanAttributes.Attempt)),
            Bytes = span.GetTagItem(SpanAttributes.Bytes) is { } bytes ? Convert.ToInt64(bytes, CultureInfo.InvariantCulture) : 0,
            ChannelWait = span.GetTagItem(SpanAttributes.ChannelWaitMs) is { } wait
                ? TimeSpan.FromMilliseconds(Convert.ToDouble(wait, CultureInfo.InvariantCulture))
                : TimeSpan.Zero,
            ErrorType = span.GetTagItem(SpanAttributes.ErrorType) as string,
            SpanId = span.SpanId.ToHexString(),
        };

        private static int Number(object? value) => value is null ? 0 : Convert.ToInt32(value, CultureInfo.InvariantCulture);
    }
}
