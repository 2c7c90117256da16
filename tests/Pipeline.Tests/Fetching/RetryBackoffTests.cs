using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Pipeline.Fetching;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Fetching;

/// <summary>Retry back-off under a fake clock: the delays are read as the fetcher starts waiting them, and time is advanced by exactly that much.</summary>
public sealed class RetryBackoffTests : OriginTest
{
    private const int Retries = 5;
    private const int Urls = 20;

    // Every other timer the fetcher starts (attempt and per-URL deadlines) is set far beyond these.
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task FetchAsync_TransientFailures_BacksOffExponentiallyWithJitter()
    {
        var time = new TimerLog();
        using var services = PipelineServices.Create(
            new Dictionary<string, string?>
            {
                ["Pipeline:Http:Retry:MaxRetries"] = Retries.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Pipeline:Http:Retry:BaseDelay"] = "00:00:01",
                ["Pipeline:Http:Retry:MaxDelay"] = "00:05:00",
                ["Pipeline:Http:RequestTimeout"] = "01:00:00",
                ["Pipeline:Http:HeadersTimeout"] = "01:00:00",
                ["Pipeline:Http:TotalTimeout"] = "1.00:00:00",
            },
            s => s.Replace(ServiceDescriptor.Singleton<TimeProvider>(time)));
        var fetcher = services.GetRequiredService<IUrlFetcher>();
        var delays = Enumerable.Range(0, Retries).Select(_ => new List<TimeSpan>()).ToArray();

        for (var url = 0; url < Urls; url++)
        {
            var fetch = fetcher.FetchAsync(Origin.Url($"fault/status/503?u={url}"));
            for (var retry = 0; retry < Retries; retry++)
            {
                var delay = await time.NextTimerAsync(due => due <= LongestBackoff);
                delays[retry].Add(delay);
                time.Advance(delay);
            }

            var result = await fetch.Guarded();
            Assert.Equal(Retries + 1, result.Attempts);
            Assert.Equal(FetchOutcome.HttpError, result.Outcome);
        }

        // Jitter: the same retry of different URLs waits different times (without it, all would wait exactly 1 s).
        Assert.True(delays[0].Distinct().Count() > Urls / 2, $"first retries: {string.Join(", ", delays[0])}");

        // Exponential growth: on average the fifth wait is many times the first (Polly's jittered
        // exponential back-off doubles its median each retry; a constant back-off, jittered or not,
        // keeps them about equal).
        var first = delays[0].Average(d => d.TotalSeconds);
        var fifth = delays[4].Average(d => d.TotalSeconds);
        Assert.True(fifth > 3 * first, $"mean first retry {first:0.000} s, mean fifth retry {fifth:0.000} s");
    }
}
