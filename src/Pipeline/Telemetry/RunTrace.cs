namespace Pipeline.Telemetry;

/// <summary>The fetch spans of one run and the overlap figures computed from them.</summary>
public sealed class RunTrace
{
    /// <summary>Gets the mode the run span carried (<c>pipeline.mode</c>).</summary>
    public required PipelineMode Mode { get; init; }

    /// <summary>Gets the number of consumers (<c>pipeline.concurrency</c>).</summary>
    public required int Consumers { get; init; }

    /// <summary>Gets the trace id of the run, to look it up in Jaeger, Tempo or Aspire.</summary>
    public required string TraceId { get; init; }

    /// <summary>Gets the span id of the run's <c>run pipeline</c> span.</summary>
    public required string SpanId { get; init; }

    /// <summary>Gets when the run span started (UTC).</summary>
    public required DateTime StartedAt { get; init; }

    /// <summary>Gets how long the run span lasted.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the kept fetch spans, in order of start; at most <see cref="TelemetryOptions.ReportSpanLimit"/>.</summary>
    public required IReadOnlyList<FetchSpan> Spans { get; init; }

    /// <summary>Gets the number of fetch spans the run had, kept or not.</summary>
    public required long SpanCount { get; init; }

    /// <summary>Gets the largest number of fetch spans that were open at the same moment.</summary>
    public required int PeakOverlap { get; init; }

    /// <summary>Gets the mean number of fetch spans open while fetching went on: their summed durations over the time from the first start to the last end.</summary>
    public required double MeanOverlap { get; init; }

    /// <summary>Gets how much time a drawing of the run needs: its duration, or the end of its last kept span if later.</summary>
    public TimeSpan Extent => Spans.Count == 0 ? Duration : TimeSpan.FromTicks(Math.Max(Duration.Ticks, Spans.Max(s => s.End).Ticks));

    /// <summary>
    /// Gets the adaptive limit over the run (<c>--concurrency auto</c>): each change with its offset from
    /// the start of the run, the first at 0; empty for a fixed concurrency.
    /// </summary>
    public IReadOnlyList<Concurrency.LimitPoint> Limit { get; init; } = [];

    /// <summary>Gets a value indicating whether spans were left out of <see cref="Spans"/> to bound memory.</summary>
    public bool Capped => SpanCount > Spans.Count;

    /// <summary>A copy of this trace that carries the adaptive limit over the run.</summary>
    /// <param name="limit">The changes of the limit.</param>
    /// <returns>The copy.</returns>
    public RunTrace WithLimit(IReadOnlyList<Concurrency.LimitPoint> limit) => new()
    {
        Mode = Mode,
        Consumers = Consumers,
        TraceId = TraceId,
        SpanId = SpanId,
        StartedAt = StartedAt,
        Duration = Duration,
        Spans = Spans,
        SpanCount = SpanCount,
        PeakOverlap = PeakOverlap,
        MeanOverlap = MeanOverlap,
        Limit = limit,
    };
}
