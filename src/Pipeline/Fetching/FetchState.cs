using Polly;

namespace Pipeline.Fetching;

/// <summary>The state of one URL across its attempts, shared by the fetcher and the retry strategy's callbacks.</summary>
internal sealed class FetchState(Uri url, TimeSpan budget, long startedTimestamp, TimeProvider timeProvider)
{
    /// <summary>Where the retry strategy finds the state in the resilience context.</summary>
    public static readonly ResiliencePropertyKey<FetchState> Key = new("pipeline.fetch");

    public Uri Url { get; } = url;

    /// <summary>Gets the key of the per-host limits and circuit: the host name, without port.</summary>
    public string Host { get; } = url.IdnHost;

    public TimeSpan Budget { get; } = budget;

    /// <summary>Gets or sets the number of requests sent so far.</summary>
    public int Attempts { get; set; }

    /// <summary>Gets or sets what the URL is doing now, for the reason given when the budget runs out.</summary>
    public FetchPhase Phase { get; set; }

    /// <summary>Gets <see cref="Phase"/> in words.</summary>
    public string PhaseText => Phase switch
    {
        FetchPhase.WaitingForPermit => $"waiting for a permit for host {Host}",
        FetchPhase.WaitingForHeaders => "waiting for the response headers",
        FetchPhase.ReadingBody => "reading the body",
        FetchPhase.WaitingToRetry => "waiting to retry",
        _ => "before the first attempt",
    };

    /// <summary>Gets or sets the latest delay a server asked for with <c>Retry-After</c>, for adaptive concurrency.</summary>
    public TimeSpan? RetryAfter { get; set; }

    /// <summary>Gets or sets the URL of the latest request sent (after redirects), or <see langword="null"/> before the first.</summary>
    public Uri? Target { get; set; }

    /// <summary>Gets or sets the number of redirects the latest attempt followed.</summary>
    public int Redirects { get; set; }

    /// <summary>Gets or sets where the body is kept for the processing stage, or <see langword="null"/>.</summary>
    public Processing.ResponseBody? Body { get; init; }

    /// <summary>Gets or sets the latest failed attempt, in words.</summary>
    public string? LastFailure { get; set; }

    public TimeSpan Remaining => Budget - timeProvider.GetElapsedTime(startedTimestamp);
}
