namespace Pipeline.Concurrency;

/// <summary>One finished request, as the adaptive limit sees it.</summary>
/// <param name="Latency">How long the request took.</param>
/// <param name="Outcome">What it came to.</param>
/// <param name="InFlight">Requests in flight to the same limit when it finished, itself included.</param>
/// <param name="RetryAfter">The delay the server asked for with <c>Retry-After</c>, if any.</param>
public readonly record struct LimitSample(TimeSpan Latency, SampleOutcome Outcome, int InFlight, TimeSpan? RetryAfter = null)
{
    /// <summary>Gets a value indicating whether the sample says "too much": every outcome but <see cref="SampleOutcome.Ok"/>.</summary>
    public bool IsDrop => Outcome != SampleOutcome.Ok;
}
