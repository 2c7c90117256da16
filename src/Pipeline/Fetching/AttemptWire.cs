namespace Pipeline.Fetching;

/// <summary>
/// What one attempt has put on the wire, shared by the fetcher (which starts the attempt) and the
/// connection streams of <see cref="GuardedConnector"/> (which see the bytes go out and come back).
/// </summary>
/// <remarks>
/// SocketsHttpHandler re-sends a request by itself, up to three times, when a connection ends without
/// one byte of response (it takes that for a pooled connection the server had just closed). With our
/// own retries on top, a server that closes every connection unanswered saw four requests per attempt:
/// 12 for one URL with <c>MaxRetries=2</c>. The streams mark the attempt unanswered when that happens,
/// and the connect step and the streams refuse to send its request again: each attempt reaches the
/// server at most once, so the server sees at most <c>MaxRetries + 1</c> requests per URL and
/// <see cref="FetchResult.Attempts"/> is what it saw. Redirect hops are separate requests to their
/// targets and are not limited by this.
/// </remarks>
internal sealed class AttemptWire
{
    /// <summary>Where the connect step finds the attempt: the request that asked for the connection.</summary>
    public static readonly HttpRequestOptionsKey<AttemptWire> Key = new("pipeline.attempt");

    private static readonly AsyncLocal<AttemptWire?> CurrentAttempt = new();

    private volatile bool _unanswered;

    /// <summary>Gets or sets the attempt the current request belongs to; the handler writes a request in its caller's flow.</summary>
    public static AttemptWire? Current
    {
        get => CurrentAttempt.Value;
        set => CurrentAttempt.Value = value;
    }

    /// <summary>Gets a value indicating whether a request of this attempt ended without one byte of response.</summary>
    public bool Unanswered => _unanswered;

    /// <summary>Records that the connection carrying this attempt's request ended before any response byte.</summary>
    public void MarkUnanswered() => _unanswered = true;
}
