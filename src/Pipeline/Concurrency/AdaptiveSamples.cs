using Pipeline.Fetching;

namespace Pipeline.Concurrency;

/// <summary>Turns a fetch result into what the adaptive limit learns from it.</summary>
internal static class AdaptiveSamples
{
    /// <summary>The sample of a settled fetch, or <see langword="null"/> when it says nothing about the server's load.</summary>
    /// <param name="result">The result.</param>
    /// <param name="inFlight">Requests in flight to the host when it finished, itself included.</param>
    /// <returns>The sample, or <see langword="null"/> for results with no request behind them, cancelled ones and failures
    /// of our own making (refused address, body too large, name not resolved, circuit open).</returns>
    public static LimitSample? From(FetchResult result, int inFlight)
    {
        ArgumentNullException.ThrowIfNull(result);
        SampleOutcome? outcome = result switch
        {
            { Attempts: 0 } or { Outcome: not (FetchOutcome.Succeeded or FetchOutcome.HttpError or FetchOutcome.Failed) } => null,
            { StatusCode: 429 } => SampleOutcome.TooManyRequests,
            { StatusCode: 503 or 504 } => SampleOutcome.Unavailable,
            { Outcome: FetchOutcome.Failed, ErrorType: "timeout" } => SampleOutcome.Timeout,
            { Outcome: FetchOutcome.Failed, ErrorType: "connection_error" or "response_ended" or "http_protocol_error" or "System.IO.IOException" } => SampleOutcome.ConnectionError,
            { Outcome: FetchOutcome.Failed } => null,

            // Retries happen only after a transient failure: a drop, even when a later attempt got through.
            { Attempts: > 1 } => SampleOutcome.Retried,
            _ => SampleOutcome.Ok,
        };
        return outcome is { } kind ? new LimitSample(result.Duration, kind, inFlight, result.RetryAfter) : null;
    }
}
