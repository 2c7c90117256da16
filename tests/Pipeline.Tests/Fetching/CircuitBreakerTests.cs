using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Pipeline.Fetching;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Fetching;

public sealed class CircuitBreakerTests : OriginTest
{

    [Fact]
    public async Task FetchAsync_HostKeepsFailing_OpensItsCircuitAndFailsFastWithoutSending()
    {
        using var services = Services();
        var fetcher = services.GetRequiredService<IUrlFetcher>();

        var first = await fetcher.FetchAsync(Origin.Url("fault/status/500?i=1"));
        var second = await fetcher.FetchAsync(Origin.Url("fault/status/500?i=2"));
        var third = await fetcher.FetchAsync(Origin.Url("ok"));

        Assert.Equal(FetchOutcome.HttpError, first.Outcome);
        Assert.Equal(FetchOutcome.HttpError, second.Outcome);
        Assert.Equal(FetchOutcome.Failed, third.Outcome);
        Assert.StartsWith("circuit open for host 127.0.0.1 after repeated failures; next trial in ", third.Error, StringComparison.Ordinal);
        Assert.Equal(0, third.Attempts);
        Assert.Equal("circuit_open", third.ErrorType);
        Assert.Equal(2, Origin.Stats.Requests);
    }

    [Fact]
    public async Task FetchAsync_OneHostsCircuitOpen_OtherHostsAreStillFetched()
    {
        using var services = Services();
        var fetcher = services.GetRequiredService<IUrlFetcher>();
        await fetcher.FetchAsync(Origin.Url("fault/status/500?i=1"));
        await fetcher.FetchAsync(Origin.Url("fault/status/500?i=2"));

        var otherHost = new UriBuilder(Origin.Url("ok")) { Host = "localhost" }.Uri.ToString();
        var result = await fetcher.FetchAsync(otherHost);

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
    }

    [Fact]
    public async Task FetchAsync_ClientErrors_DoNotOpenTheCircuit()
    {
        using var services = Services();
        var fetcher = services.GetRequiredService<IUrlFetcher>();

        await fetcher.FetchAsync(Origin.Url("fault/status/404?i=1"));
        await fetcher.FetchAsync(Origin.Url("fault/status/404?i=2"));
        var result = await fetcher.FetchAsync(Origin.Url("ok"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
    }

    [Fact]
    public async Task FetchAsync_CircuitBreakerOff_KeepsSendingToAFailingHost()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { ["Pipeline:Http:Retry:MaxRetries"] = "0" });
        var fetcher = services.GetRequiredService<IUrlFetcher>();

        for (var i = 0; i < 12; i++)
        {
            await fetcher.FetchAsync(Origin.Url($"fault/status/500?i={i}"));
        }

        Assert.Equal(FetchOutcome.Succeeded, (await fetcher.FetchAsync(Origin.Url("ok"))).Outcome);
    }

    [Fact]
    public async Task FetchAsync_BreakDurationPassed_LetsATrialThroughAndClosesOnSuccess()
    {
        var time = new FakeTimeProvider();
        using var services = Services(time);
        var fetcher = services.GetRequiredService<IUrlFetcher>();
        await fetcher.FetchAsync(Origin.Url("fault/status/500?i=1"));
        await fetcher.FetchAsync(Origin.Url("fault/status/500?i=2"));

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        var stillOpen = await fetcher.FetchAsync(Origin.Url("ok?i=3"));
        time.Advance(TimeSpan.FromSeconds(1));
        var trial = await fetcher.FetchAsync(Origin.Url("ok?i=4"));
        var afterTrial = await fetcher.FetchAsync(Origin.Url("ok?i=5"));

        Assert.Equal("circuit_open", stillOpen.ErrorType);
        Assert.Equal(FetchOutcome.Succeeded, trial.Outcome);
        Assert.Equal(FetchOutcome.Succeeded, afterTrial.Outcome);
        Assert.Equal(4, Origin.Stats.Requests);
    }

    private static ServiceProvider Services(TimeProvider? time = null) => PipelineServices.Create(
        Settings,
        time is null ? null : s => s.Replace(ServiceDescriptor.Singleton(time)));

    private static Dictionary<string, string?> Settings => new()
    {
        ["Pipeline:Http:Retry:MaxRetries"] = "0",
        ["Pipeline:Http:CircuitBreaker:Mode"] = "PerHost",
        ["Pipeline:Http:CircuitBreaker:MinimumThroughput"] = "2",
        ["Pipeline:Http:CircuitBreaker:FailureRatio"] = "0.5",
        ["Pipeline:Http:CircuitBreaker:BreakDuration"] = "00:10:00",
    };
}
