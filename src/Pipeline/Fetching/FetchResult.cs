using Pipeline.Sources;

namespace Pipeline.Fetching;

/// <summary>What became of one input line: the record the sinks write.</summary>
/// <remarks>Immutable: the fetcher builds it, and the consumer stage adds what only the pipeline knows
/// (consumer, mode, queue wait, the item's delivery) on a copy.</remarks>
public sealed record FetchResult
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

    /// <summary>Gets the URL of the last request sent, after following redirects (the input's text when there were none), or <see langword="null"/> when no request was sent.</summary>
    public string? FinalUrl { get; init; }

    /// <summary>Gets the number of redirects followed by the last attempt.</summary>
    public int Redirects { get; init; }

    /// <summary>Gets the <c>Content-Type</c> header of the final response as the server sent it, when there was one.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the <c>Content-Length</c> header of the final response, when the server sent one.</summary>
    /// <remarks>The size on the wire as announced; <see cref="Bytes"/> is what was read after decoding. A compressed body's header is dropped by decompression.</remarks>
    public long? ContentLength { get; init; }

    /// <summary>Gets when the first attempt started, or when the item was settled if none was made.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary>Gets how long the fetch took, from the first request byte to the last body byte.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Gets the number of requests sent for this URL (0 when none was).</summary>
    public int Attempts { get; init; }

    /// <summary>Gets why the URL failed, or <see langword="null"/>.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the fetcher's kind of failure for a <see cref="FetchOutcome.Failed"/> line (<c>timeout</c>, <c>connection_error</c> ...), or <see langword="null"/>.</summary>
    /// <remarks>One of <see cref="ErrorTypes"/>: the kind, not the message. <see cref="ErrorTypes.Of"/> gives the value of any result, which spans, metrics and the record carry.</remarks>
    public string? ErrorType { get; init; }

    /// <summary>Gets the latest delay a server asked for with <c>Retry-After</c> while fetching this URL, if any.</summary>
    /// <remarks>Not written to the results file: adaptive concurrency reads it as a signal for the host.</remarks>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets the consumer (0-based) that settled the item.</summary>
    public int ConsumerId { get; init; }

    /// <summary>Gets the mode of the run that produced the result.</summary>
    public PipelineMode Mode { get; init; }

    /// <summary>Gets how long the item waited in the work channel before a consumer took it.</summary>
    public TimeSpan QueueWait { get; init; }

    /// <summary>Gets what the item's source attached to it (<see cref="WorkItem.Delivery"/>), passed through untouched, or <see langword="null"/>.</summary>
    public IWorkDelivery? Delivery { get; init; }

    /// <summary>Gets what the processing stage found in the body (<c>Pipeline:Process:Steps</c>), or <see langword="null"/> when it did not process this result.</summary>
    /// <remarks>Written to the record as one nested object, <c>process</c>.</remarks>
    public Processing.ProcessOutput? Process { get; init; }

    /// <summary>Gets a value indicating whether the result holds an answer the server gave (any status).</summary>
    public bool IsFetched => Outcome is FetchOutcome.Succeeded or FetchOutcome.HttpError;
}
