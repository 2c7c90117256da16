using Microsoft.Extensions.Time.Testing;
using Pipeline.Concurrency;
using Pipeline.Fetching;

namespace Pipeline.Tests.Concurrency;

/// <summary>Per-host limits and the consumers' limit as their sum, on a fake clock.</summary>
public sealed class AdaptiveConcurrencyTests
{
    private static readonly Uri Fast = new("http://fast.test/x");
    private static readonly Uri Slow = new("http://slow.test/x");
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Ctor_Defaults_StartsAtMin()
    {
        var changes = new List<int>();
        var adaptive = new AdaptiveConcurrency(new AdaptiveOptions(), _time, changes.Add);

        Assert.Equal(1, adaptive.Limit);
        Assert.Equal(256, adaptive.MaxConsumers);
        Assert.Equal([1], changes);
    }

    [Fact]
    public async Task Complete_OneHost_ConsumersFollowItsLimit()
    {
        var adaptive = new AdaptiveConcurrency(new AdaptiveOptions { Window = TimeSpan.FromMilliseconds(100) }, _time);

        for (var window = 0; window < 4; window++)
        {
            await WindowAsync(adaptive, Fast, Ok());
        }

        var summary = adaptive.Summarize();
        Assert.Equal(16, adaptive.Limit);
        Assert.Equal(16, Assert.Single(summary.Hosts).Limit);
        Assert.Equal((1, 16), (summary.Min, summary.Max));
    }

    [Fact]
    public async Task Complete_SlowHostBacksOff_OtherHostKeepsItsLimitAndConsumersAreTheSum()
    {
        var adaptive = new AdaptiveConcurrency(new AdaptiveOptions(), _time);
        for (var window = 0; window < 3; window++)
        {
            await WindowAsync(adaptive, Fast, Ok(), Slow, Ok());
        }

        Assert.Equal(16, adaptive.Limit);

        await WindowAsync(adaptive, Fast, Ok(), Slow, new FetchResult { Url = "u", Source = "s", Line = 1, Outcome = FetchOutcome.HttpError, StatusCode = 503, Attempts = 1, Duration = TimeSpan.FromMilliseconds(5) });

        var hosts = adaptive.Summarize().Hosts.ToDictionary(h => h.Host, h => h);
        Assert.Equal(16, hosts["fast.test"].Limit);
        Assert.Equal(6, hosts["slow.test"].Limit);
        Assert.Equal(8, hosts["slow.test"].Drops);
        Assert.Equal(22, adaptive.Limit);
    }

    [Fact]
    public async Task Complete_HostIdleLongerThanHostIdle_NoLongerCounts()
    {
        var adaptive = new AdaptiveConcurrency(new AdaptiveOptions(), _time);
        for (var window = 0; window < 3; window++)
        {
            await WindowAsync(adaptive, Fast, Ok(), Slow, Ok());
        }

        Assert.Equal(16, adaptive.Limit);

        // Only the fast host is fetched from now on: after HostIdle the slow one's 8 drop out.
        _time.Advance(AdaptiveConcurrency.HostIdle);
        await WindowAsync(adaptive, Fast, Ok());

        Assert.Equal(16, adaptive.Limit);
        Assert.Equal(16, Assert.Single(adaptive.Summarize().Hosts, h => h.Host == "fast.test").Limit);
    }

    [Fact]
    public async Task AcquireAsync_PerHostCeiling_BoundsTheHostLimit()
    {
        var adaptive = new AdaptiveConcurrency(new AdaptiveOptions { PerHostCeiling = 4 }, _time);
        for (var window = 0; window < 5; window++)
        {
            await WindowAsync(adaptive, Fast, Ok());
        }

        Assert.Equal(4, adaptive.Limit);
    }

    [Fact]
    public void Summarize_LimitOverTime_IsTimeWeighted()
    {
        var history = new LimitHistory(1);
        history.Set(TimeSpan.FromSeconds(1), 4);
        history.Set(TimeSpan.FromSeconds(3), 2);

        // 1 for 1 s, 4 for 2 s, 2 for 1 s: 11 / 4.
        Assert.Equal(2.75, history.Mean(TimeSpan.FromSeconds(4)), 9);
        Assert.Equal((1, 4, 2, 2), (history.Min, history.Max, history.Final, history.Changes));
        Assert.Equal([new LimitPoint(TimeSpan.Zero, 1), new LimitPoint(TimeSpan.FromSeconds(1), 4), new LimitPoint(TimeSpan.FromSeconds(3), 2)], history.Points);
    }

    private static FetchResult Ok() => new() { Url = "u", Source = "s", Line = 1, Outcome = FetchOutcome.Succeeded, StatusCode = 200, Attempts = 1, Duration = TimeSpan.FromMilliseconds(40) };

    // One window: every host's whole limit in flight, all answered with the given result.
    private async Task WindowAsync(AdaptiveConcurrency adaptive, params object[] hostsAndResults)
    {
        var held = new List<(HostState Host, FetchResult Result)>();
        for (var i = 0; i < hostsAndResults.Length; i += 2)
        {
            var url = (Uri)hostsAndResults[i];
            var result = (FetchResult)hostsAndResults[i + 1];
            var first = await adaptive.AcquireAsync(url, CancellationToken.None);
            held.Add((first, result));
            while (first.Gate.InUse < first.Gate.Limit)
            {
                held.Add((await adaptive.AcquireAsync(url, CancellationToken.None), result));
            }
        }

        _time.Advance(TimeSpan.FromMilliseconds(100));
        foreach (var (host, result) in held)
        {
            adaptive.Complete(host, result);
        }
    }
}
