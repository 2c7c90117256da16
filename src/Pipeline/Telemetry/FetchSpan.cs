namespace Pipeline.Telemetry;

/// <summary>One <c>fetch url</c> span as the report draws it, with times relative to the start of its run.</summary>
public sealed record FetchSpan
{
    /// <summary>Gets when the span started, from the start of the run span.</summary>
    public required TimeSpan Start { get; init; }

    /// <summary>Gets how long the span lasted.</summary>
    public required TimeSpan Duration { get; init; }

    /// <summary>Gets the URL (<c>url.full</c>).</summary>
    public required string Url { get; init; }

    /// <summary>Gets the outcome (<c>pipeline.outcome</c>): succeeded, http_error, failed, cancelled.</summary>
    public required string Outcome { get; init; }

    /// <summary>Gets the status code, when an answer arrived.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the consumer that fetched the URL.</summary>
    public int ConsumerId { get; init; }

    /// <summary>Gets the number of the last attempt.</summary>
    public int Attempt { get; init; }

    /// <summary>Gets the number of body bytes read.</summary>
    public long Bytes { get; init; }

    /// <summary>Gets how long the item waited in the work channel.</summary>
    public TimeSpan ChannelWait { get; init; }

    /// <summary>Gets the kind of failure (<c>error.type</c>), or <see langword="null"/>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets the span id, to find the span in a trace viewer.</summary>
    public required string SpanId { get; init; }

    /// <summary>Gets when the span ended, from the start of the run span.</summary>
    public TimeSpan End => Start + Duration;
}
