namespace Pipeline.Fetching;

/// <summary>What became of one input line: the record the sinks write.</summary>
public sealed class FetchResult
{
    /// <summary>Gets the URL as it was read from the source.</summary>
    public required string Url { get; init; }

    /// <summary>Gets the name of the source the URL came from.</summary>
    public required string Source { get; init; }

    /// <summary>Gets the 1-based line (or list position) in the source.</summary>
    public required long Line { get; init; }

    /// <summary>Gets how the line ended.</summary>
    public required FetchOutcome Outcome { get; init; }

    /// <summary>Gets the HTTP status code of the final response, when one arrived.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the number of body bytes read (after content decoding).</summary>
    public long Bytes { get; init; }

    /// <summary>Gets when the first attempt started, or when the item was settled if none was made.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets how long the fetch took, from the first request byte to the last body byte.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the number of requests sent for this URL (0 when none was).</summary>
    public int Attempts { get; init; }

    /// <summary>Gets why the URL failed, or <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Gets a low-cardinality kind of failure for telemetry (<c>timeout</c>, <c>connection_error</c> ...), or <see langword="null"/>.</summary>
    /// <remarks>Follows the <c>error.type</c> convention of OpenTelemetry: the kind, not the message.</remarks>
    public string? ErrorType { get; init; }

    /// <summary>Gets the latest delay a server asked for with <c>Retry-After</c> while fetching this URL, if any.</summary>
    /// <remarks>Not written to the results file: adaptive concurrency reads it as a signal for the host.</remarks>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the consumer (0-based) that settled the item.</summary>
    public int ConsumerId { get; internal set; }

    /// <summary>Gets the mode of the run that produced the result.</summary>
    public PipelineMode Mode { get; internal set; }

    /// <summary>Gets how long the item waited in the work channel before a consumer took it.</summary>
    public TimeSpan QueueWait { get; internal set; }

    /// <summary>Gets the id of the broker message the URL came in, when it came from a broker.</summary>
    public string? MessageId { get; internal set; }

    /// <summary>Gets a value indicating whether the broker had delivered the URL before (to a worker that stopped or died first).</summary>
    public bool Redelivered { get; internal set; }

    /// <summary>Gets the worker process that fetched the URL (<c>host/pid</c>), when results from many workers are gathered in one place.</summary>
    public string? Worker { get; internal set; }

    /// <summary>Gets how to tell the source that this result is written; set by the runner.</summary>
    internal Sources.IWorkAcknowledgement? Acknowledgement { get; set; }

    /// <summary>Gets a value indicating whether the result holds an answer the server gave (any status).</summary>
    public bool IsFetched => Outcome is FetchOutcome.Succeeded or FetchOutcome.HttpError;
}
