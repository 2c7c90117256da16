using Pipeline.Concurrency;
using Pipeline.Fetching;

namespace Pipeline.Tests.Concurrency;

public sealed class AdaptiveSamplesTests
{
    [Theory]
    [InlineData(FetchOutcome.Succeeded, 200, null, 1, SampleOutcome.Ok)]
    [InlineData(FetchOutcome.HttpError, 404, null, 1, SampleOutcome.Ok)]
    [InlineData(FetchOutcome.HttpError, 429, null, 4, SampleOutcome.TooManyRequests)]
    [InlineData(FetchOutcome.HttpError, 503, null, 1, SampleOutcome.Unavailable)]
    [InlineData(FetchOutcome.HttpError, 504, null, 1, SampleOutcome.Unavailable)]
    [InlineData(FetchOutcome.Failed, null, "timeout", 4, SampleOutcome.Timeout)]
    [InlineData(FetchOutcome.Failed, null, "connection_error", 1, SampleOutcome.ConnectionError)]
    [InlineData(FetchOutcome.Succeeded, 200, null, 2, SampleOutcome.Retried)]
    public void From_Result_GivesItsSignal(FetchOutcome outcome, int? status, string? errorType, int attempts, SampleOutcome expected)
    {
        var result = new FetchResult { Url = "u", Source = "s", Line = 1, Outcome = outcome, StatusCode = status, ErrorType = errorType, Attempts = attempts, RetryAfter = TimeSpan.FromSeconds(2) };

        var sample = AdaptiveSamples.From(result, 3);

        Assert.Equal(new LimitSample(TimeSpan.Zero, expected, 3, TimeSpan.FromSeconds(2)), sample);
    }

    [Theory]
    [InlineData(FetchOutcome.Cancelled, 1, null)]
    [InlineData(FetchOutcome.Pending, 0, null)]
    [InlineData(FetchOutcome.Invalid, 0, null)]
    [InlineData(FetchOutcome.Failed, 1, "address_refused")]
    [InlineData(FetchOutcome.Failed, 0, "circuit_open")]
    [InlineData(FetchOutcome.Failed, 1, "too_large")]
    public void From_ResultSayingNothingAboutLoad_IsNull(FetchOutcome outcome, int attempts, string? errorType)
    {
        var result = new FetchResult { Url = "u", Source = "s", Line = 1, Outcome = outcome, ErrorType = errorType, Attempts = attempts };

        Assert.Null(AdaptiveSamples.From(result, 1));
    }
}
