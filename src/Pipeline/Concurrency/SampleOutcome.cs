namespace Pipeline.Concurrency;

/// <summary>What one finished request tells the adaptive limit.</summary>
public enum SampleOutcome
{
    /// <summary>An answer at the first attempt (any status but 429, 503 and 504): its latency counts.</summary>
    Ok,

    /// <summary><c>429 Too Many Requests</c>: the server asks for less.</summary>
    TooManyRequests,

    /// <summary><c>503 Service Unavailable</c> (or <c>504</c>): the server, or the proxy in front of it, is overloaded.</summary>
    Unavailable,

    /// <summary>No answer in time: an attempt or the per-URL budget timed out.</summary>
    Timeout,

    /// <summary>The connection was refused, reset or ended early.</summary>
    ConnectionError,

    /// <summary>An answer came, but only after the fetcher retried a transient failure (one of the above): a drop, with a latency that includes back-off.</summary>
    Retried,
}
