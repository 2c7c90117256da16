using Microsoft.Extensions.DependencyInjection;
using Pipeline.Fetching;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Fetching;

public sealed class CircuitBreakerTests : IAsyncLifetime
{
    private TestOrigin _origin = null!;

    public async Task InitializeAsync() => _origin = await TestOrigin.StartAsync();

    public async Task DisposeAsync() => await _origin.DisposeAsync();

    [Fact]
    public async Task FetchAsync_HostKeepsFailing_OpensItsCircuitAndFailsFastWithoutSending()
    {
        using var services = Services();
        var fetcher = services.GetRequiredService<IUrlFetcher>();

        var first = await FetchAsync(fetcher, _origin.Url("fault/status/500?i=1"));
        var second = await FetchAsync(fetcher, _origin.Url("fault/status/500?i=2"));
        var third = await FetchAsync(fetcher, _origin.Url("ok"));

        Assert.Equal(FetchOutcome.HttpError, first.Outcome);
        Assert.Equal(FetchOutcome.HttpError, second.Outcome);
        Assert.Equal(FetchOutcome.Failed, third.Outcome);
        Assert.StartsWith("circuit open for host 127.0.0.1 after repeated failures; next trial in ", third.Error, StringComparison.Ordinal);
        Assert.Equal(0, third.Attempts);
        Assert.Equal(2, _origin.Stats.Requests);
    }

    [Fact]
    public async Task FetchAsync_OneHostsCircuitOpen_OtherHostsAreStillFetched()
    {
        using var services = Services();
        var fetcher = services.GetRequiredService<IUrlFetcher>();
        await FetchAsync(fetcher, _origin.Url("fault/status/500?i=1"));
        await FetchAsync(fetcher, _origin.Url("fault/status/500?i=2"));

        var otherHost = new UriBuilder(_origin.Url("ok")) { Host = "localhost" }.Uri.ToString();
        var result = await FetchAsync(fetcher, otherHost);

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
    }

    [Fact]
    public async Task FetchAsync_ClientErrors_DoNotOpenTheCircuit()
    {
        using var services = Services();
        var fetcher = services.GetRequiredService<IUrlFetcher>();

        await FetchAsync(fetcher, _origin.Url("fault/status/404?i=1"));
        await FetchAsync(fetcher, _origin.Url("fault/status/404?i=2"));
        var result = await FetchAsync(fetcher, _origin.Url("ok"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
    }

    [Fact]
    public async Task FetchAsync_CircuitBreakerOff_KeepsSendingToAFailingHost()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { ["Pipeline:Http:Retry:MaxRetries"] = "0" });
        var fetcher = services.GetRequiredService<IUrlFetcher>();

        for (var i = 0; i < 12; i++)
        {
            await FetchAsync(fetcher, _origin.Url($"fault/status/500?i={i}"));
        }

        Assert.Equal(FetchOutcome.Succeeded, (await FetchAsync(fetcher, _origin.Url("ok"))).Outcome);
    }

    private static ServiceProvider Services() => PipelineServices.Create(new Dictionary<string, string?>
    {
        ["Pipeline:Http:Retry:MaxRetries"] = "0",
        ["Pipeline:Http:CircuitBreaker:Mode"] = "PerHost",
        ["Pipeline:Http:CircuitBreaker:MinimumThroughput"] = "2",
        ["Pipeline:Http:CircuitBreaker:FailureRatio"] = "0.5",
        ["Pipeline:Http:CircuitBreaker:BreakDuration"] = "00:10:00",
    });

    private static async Task<FetchResult> FetchAsync(IUrlFetcher fetcher, string url)
        => await fetcher.FetchAsync(new WorkItem("test", 1, url, new Uri(url), null), CancellationToken.None).AsTask().Guarded();
}
