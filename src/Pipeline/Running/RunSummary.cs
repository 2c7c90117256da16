using Pipeline.Fetching;

namespace Pipeline.Running;

/// <summary>What one run did: counts by outcome, time, latency and how busy the consumers were.</summary>
public sealed class RunSummary
{
    /// <summary>Gets the mode of the run.</summary>
    public required PipelineMode Mode { get; init; }

    /// <summary>Gets the number of consumers.</summary>
    public required int Consumers { get; init; }

    /// <summary>Gets what adaptive concurrency did, or <see langword="null"/> when the number of consumers was fixed.</summary>
    /// <remarks>With it, <see cref="Consumers"/> is the most that could be active (<c>Pipeline:Adaptive:Max</c>).</remarks>
    public Concurrency.AdaptiveSummary? Adaptive { get; init; }

    /// <summary>Gets the time from the first item read to the last result written.</summary>
    public required TimeSpan Wall { get; init; }

    /// <summary>Gets the number of results (one per input line that was not blank or a comment).</summary>
    public required long Total { get; init; }

    /// <summary>Gets the number of 1xx-3xx answers.</summary>
    public required long Succeeded { get; init; }

    /// <summary>Gets the number of 4xx and 5xx answers.</summary>
    public required long HttpErrors { get; init; }

    /// <summary>Gets the number of URLs without a usable answer.</summary>
    public required long Failed { get; init; }

    /// <summary>Gets the number of input lines that were not usable URLs.</summary>
    public required long Invalid { get; init; }

    /// <summary>Gets the number of lines that repeat a URL already taken in this run.</summary>
    public long Duplicates { get; init; }

    /// <summary>Gets the number of fetches cut short because the run was stopped.</summary>
    public required long Cancelled { get; init; }

    /// <summary>Gets the number of URLs read but not fetched because the run was stopped.</summary>
    public required long Pending { get; init; }

    /// <summary>Gets the number of requests beyond the first for each URL.</summary>
    public required long Retries { get; init; }

    /// <summary>Gets how many answers came with each status code.</summary>
    public required IReadOnlyDictionary<int, long> StatusCounts { get; init; }

    /// <summary>Gets the sum of all fetch durations: the time a plain loop would have waited.</summary>
    public required TimeSpan FetchTime { get; init; }

    /// <summary>Gets the median fetch duration.</summary>
    public required TimeSpan LatencyP50 { get; init; }

    /// <summary>Gets the 95th percentile of fetch durations.</summary>
    public required TimeSpan LatencyP95 { get; init; }

    /// <summary>Gets the longest fetch.</summary>
    public required TimeSpan LatencyMax { get; init; }

    /// <summary>Gets the largest number of fetches under way at once.</summary>
    public required long PeakInFlight { get; init; }

    /// <summary>Gets how many times a producer waited for room in the work channel.</summary>
    public required long ProducerWaits { get; init; }

    /// <summary>Gets a value indicating whether the run was stopped before its sources were exhausted.</summary>
    public required bool Interrupted { get; init; }

    /// <summary>Gets the number of items producers wrote to the work channel; every one of them is a result.</summary>
    public long Enqueued { get; init; }

    /// <summary>Gets the mean fetch duration (the W of Little's law).</summary>
    public TimeSpan LatencyMean { get; init; }

    /// <summary>Gets the trace id of the run, or <see langword="null"/> when nobody listened to the pipeline's spans.</summary>
    public string? TraceId { get; init; }

    /// <summary>Gets the span id of the run's <c>run pipeline</c> span, or <see langword="null"/>.</summary>
    public string? SpanId { get; init; }

    /// <summary>Gets how far each producer got in its source, in the order of <see cref="RunPlan.Sources"/>.</summary>
    public IReadOnlyList<Sources.SourcePosition> SourcePositions { get; init; } = [];

    /// <summary>Gets the items that were read but not settled because the run was stopped (cancelled and pending), so they can be saved for the next run.</summary>
    /// <remarks>At most the channel capacity plus the consumers plus one per source: bounded whatever the input.</remarks>
    public IReadOnlyList<Sources.WorkItem> PendingItems { get; init; } = [];

    /// <summary>Gets the number of processing workers, or 0 when the run had no processing stage.</summary>
    public int ProcessWorkers { get; init; }

    /// <summary>Gets the number of results the processing stage processed (the succeeded ones).</summary>
    public long Processed { get; init; }

    /// <summary>Gets the sum of all processing durations: the CPU-bound part of the run, as <see cref="FetchTime"/> is the waiting part.</summary>
    public TimeSpan ProcessTime { get; init; }

    /// <summary>Gets the number of processed results whose processing failed in at least one step.</summary>
    public long ProcessErrors { get; init; }

    /// <summary>Gets the share of the consumers' time spent fetching: <see cref="FetchTime"/> / wall time / consumers (Little's law: mean in flight over the most there could be).</summary>
    public double FetchUtilisation => Wall > TimeSpan.Zero && Consumers > 0 ? FetchTime / Wall / Consumers : 0;

    /// <summary>Gets the share of the processing workers' time spent processing: <see cref="ProcessTime"/> / wall time / workers.</summary>
    public double ProcessUtilisation => Wall > TimeSpan.Zero && ProcessWorkers > 0 ? ProcessTime / Wall / ProcessWorkers : 0;

    /// <summary>Gets the mean processing duration.</summary>
    public TimeSpan ProcessMean => Processed > 0 ? ProcessTime / Processed : TimeSpan.Zero;

    /// <summary>Gets a value indicating whether any result is something other than a success or a skipped duplicate.</summary>
    public bool HasFailures => HttpErrors + Failed + Invalid + Cancelled + Pending > 0;

    /// <summary>Gets the number of URLs that were sent to a server (with or without an answer).</summary>
    public long Attempted => Succeeded + HttpErrors + Failed + Cancelled;

    /// <summary>Gets the number of fetches that ran to an end (answered or failed, not cancelled): those with a latency.</summary>
    public long Timed => Succeeded + HttpErrors + Failed;

    /// <summary>Gets results (input lines) per second of wall time: the benchmark harness's <c>rps</c>.</summary>
    /// <remarks>Counts lines that were never fetched too (invalid, duplicate); the human summaries use <see cref="FetchRate"/>.</remarks>
    public double Throughput => Wall > TimeSpan.Zero ? Total / Wall.TotalSeconds : 0;

    /// <summary>Gets fetches that ran to an end (<see cref="Timed"/>) per second of wall time.</summary>
    /// <remarks>200 copies of one URL are one fetch, not 200: a rate over lines would flatter the run.</remarks>
    public double FetchRate => Wall > TimeSpan.Zero ? Timed / Wall.TotalSeconds : 0;

    /// <summary>Gets the count of every outcome, in the order of <see cref="FetchOutcome"/>: always all of them, summing to <see cref="Total"/>.</summary>
    public IReadOnlyList<KeyValuePair<FetchOutcome, long>> Outcomes =>
        [.. Enum.GetValues<FetchOutcome>().Select(outcome => KeyValuePair.Create(outcome, Count(outcome)))];

    /// <summary>Gets the number of results with an outcome.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>How many input lines ended that way.</returns>
    public long Count(FetchOutcome outcome) => outcome switch
    {
        FetchOutcome.Succeeded => Succeeded,
        FetchOutcome.HttpError => HttpErrors,
        FetchOutcome.Failed => Failed,
        FetchOutcome.Invalid => Invalid,
        FetchOutcome.Duplicate => Duplicates,
        FetchOutcome.Cancelled => Cancelled,
        FetchOutcome.Pending => Pending,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Not an outcome."),
    };

    /// <summary>Gets the mean number of fetches in flight: the sum of fetch durations over wall time.</summary>
    /// <remarks>1.0 for a sequential run that never idles; close to the consumer count when concurrency pays.</remarks>
    public double EffectiveParallelism => Wall > TimeSpan.Zero ? FetchTime / Wall : 0;
}
