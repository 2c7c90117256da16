using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Fetching;

/// <summary>The fetcher against the fault endpoints of the test origin: each fault ends with the right outcome, reason and attempt count.</summary>
public sealed class HttpUrlFetcherTests : OriginTest
{
    private const int MaxRetries = 2;
    private const int AllAttempts = MaxRetries + 1;

    [Theory]
    [InlineData("fault/status/500", FetchOutcome.HttpError, AllAttempts, "HTTP 500 Internal Server Error")]
    [InlineData("fault/status/503?retryAfter=0", FetchOutcome.HttpError, AllAttempts, "HTTP 503 Service Unavailable")]
    [InlineData("fault/status/429?retryAfterDate=-60", FetchOutcome.HttpError, AllAttempts, "HTTP 429 Too Many Requests")]
    [InlineData("fault/status/408", FetchOutcome.HttpError, AllAttempts, "HTTP 408 Request Timeout")]
    [InlineData("fault/status/404", FetchOutcome.HttpError, 1, "HTTP 404 Not Found")]
    [InlineData("fault/status/403", FetchOutcome.HttpError, 1, "HTTP 403 Forbidden")]
    [InlineData("fault/reset", FetchOutcome.Failed, AllAttempts, "Unable to read data from the transport connection: Connection reset by peer.")]
    [InlineData("fault/endless", FetchOutcome.Failed, 1, "response body exceeds the limit of 65536 bytes; stopped reading after ")]
    [InlineData("fault/gzip/1048576", FetchOutcome.Failed, 1, "response body exceeds the limit of 65536 bytes; stopped reading after ")]
    [InlineData("bytes/100000", FetchOutcome.Failed, 1, "response body of 100000 bytes (Content-Length) exceeds the limit of 65536 bytes")]
    [InlineData("fault/loop", FetchOutcome.Failed, 1, "redirect loop: 302 from ")]
    [InlineData("fault/chain/5", FetchOutcome.Failed, 1, "too many redirects (more than 3): 302 from ")]
    [InlineData("fault/chain/3", FetchOutcome.Succeeded, 1, null)]
    [InlineData("fault/gzip/60000", FetchOutcome.Succeeded, 1, null)]
    public async Task FetchAsync_FaultEndpoint_EndsWithOutcomeReasonAndAttempts(string path, FetchOutcome outcome, int attempts, string? reason)
    {
        using var services = Services();

        var result = await services.FetchAsync(Origin.Url(path));

        Assert.Equal(outcome, result.Outcome);
        Assert.Equal(attempts, result.Attempts);
        if (reason is null)
        {
            Assert.Null(result.Error);
        }
        else
        {
            Assert.StartsWith(reason, result.Error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("fault/hang", "no response headers within 0.2 s")]
    [InlineData("delay/60000", "no response headers within 0.2 s")]
    [InlineData("fault/drip/100/50", "timed out after 0.4 s reading the body")]
    public async Task FetchAsync_ServerTooSlow_TimesOutEveryAttempt(string path, string reason)
    {
        // Short deadlines only where the server never meets them: a cold origin may take longer
        // than this to answer the first request of a test.
        using var services = Services(new() { ["Pipeline:Http:HeadersTimeout"] = "00:00:00.200", ["Pipeline:Http:RequestTimeout"] = "00:00:00.400" });

        var result = await services.FetchAsync(Origin.Url(path));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(AllAttempts, result.Attempts);
        Assert.Equal(reason, result.Error);
        Assert.Equal("timeout", result.ErrorType);
    }

    [Theory]
    [InlineData("fault/loop", "redirect_loop")]
    [InlineData("fault/chain/5", "too_many_redirects")]
    [InlineData("fault/endless", "too_large")]
    [InlineData("bytes/100000", "too_large")]
    [InlineData("fault/status/500", null)]
    [InlineData("ok", null)]
    public async Task FetchAsync_Result_CarriesTheKindOfFailureForTelemetry(string path, string? errorType)
    {
        using var services = Services();

        var result = await services.FetchAsync(Origin.Url(path));

        Assert.Equal(errorType, result.ErrorType);
    }

    [Theory]
    [InlineData("503", 2)]
    [InlineData("429", 1)]
    [InlineData("500", 2)]
    [InlineData("reset", 2)]
    public async Task FetchAsync_FailsThenSucceeds_SucceedsOnTheAttemptAfterTheFailures(string how, int failures)
    {
        using var services = Services();
        var key = Guid.NewGuid().ToString("N");

        var result = await services.FetchAsync(Origin.Url($"fault/flaky/{key}/{failures}/{how}?retryAfter=0"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(failures + 1, result.Attempts);
        Assert.Equal(failures + 1, Origin.Hits(key));
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task FetchAsync_ConnectionDropsMidBody_RetriesAndNamesThePhase()
    {
        using var services = Services(new() { ["Pipeline:Http:MaxResponseBytes"] = "100000000" });

        var result = await services.FetchAsync(Origin.Url("fault/reset-body"));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(AllAttempts, result.Attempts);
        Assert.EndsWith("(reading the body)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_HangsOnceThenAnswers_SucceedsOnTheSecondAttempt()
    {
        using var services = Services(new() { ["Pipeline:Http:HeadersTimeout"] = "00:00:02" });
        var key = Guid.NewGuid().ToString("N");

        var result = await services.FetchAsync(Origin.Url($"fault/flaky/{key}/1/hang"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        Assert.Equal(2, result.Attempts);
    }

    [Fact]
    public async Task FetchAsync_MoreFailuresThanRetries_StopsAfterTheLastRetry()
    {
        using var services = Services();
        var key = Guid.NewGuid().ToString("N");

        var result = await services.FetchAsync(Origin.Url($"fault/flaky/{key}/10/503"));

        Assert.Equal(FetchOutcome.HttpError, result.Outcome);
        Assert.Equal(AllAttempts, result.Attempts);
        Assert.Equal(AllAttempts, Origin.Hits(key));
    }

    [Theory]
    [InlineData("retryAfter=3600", "Retry-After 3600 s exceeds the remaining budget")]
    [InlineData("retryAfterDate=3600", "Retry-After 359")]
    public async Task FetchAsync_RetryAfterBeyondTheBudget_ReportsTheAnswerWithoutRetrying(string query, string note)
    {
        using var services = Services();

        var result = await services.FetchAsync(Origin.Url($"fault/status/503?{query}"));

        Assert.Equal(FetchOutcome.HttpError, result.Outcome);
        Assert.Equal(1, result.Attempts);
        Assert.StartsWith("HTTP 503 Service Unavailable (", result.Error, StringComparison.Ordinal);
        Assert.Contains(note, result.Error, StringComparison.Ordinal);
        Assert.EndsWith("not retried)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FetchAsync_ServerSlowerThanTheBudget_FailsNamingTheBudgetAndThePhase()
    {
        using var services = Services(new() { ["Pipeline:Http:HeadersTimeout"] = "00:01:00", ["Pipeline:Http:TotalTimeout"] = "00:00:00.300" });

        var result = await services.FetchAsync(Origin.Url("fault/hang"));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(1, result.Attempts);
        Assert.Equal("per-URL budget of 0.3 s exhausted waiting for the response headers after 1 attempt(s)", result.Error);
    }

    [Fact]
    public async Task FetchAsync_BudgetEndsDuringBackOff_NamesTheLastFailure()
    {
        // A budget that a loaded machine cannot spend on the first attempt, and a back-off that
        // cannot fit in it.
        using var services = Services(new()
        {
            ["Pipeline:Http:TotalTimeout"] = "00:00:02",
            ["Pipeline:Http:Retry:BaseDelay"] = "00:10:00",
            ["Pipeline:Http:Retry:MaxDelay"] = "01:00:00",
        });

        var result = await services.FetchAsync(Origin.Url("fault/status/500"));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(1, result.Attempts);
        Assert.Equal("per-URL budget of 2 s exhausted waiting to retry after 1 attempt(s); last failure: HTTP 500 Internal Server Error", result.Error);
        Assert.Equal("timeout", result.ErrorType);
    }

    [Fact]
    public async Task FetchAsync_NoRetriesConfigured_MakesOneAttempt()
    {
        using var services = Services(new() { ["Pipeline:Http:Retry:MaxRetries"] = "0" });

        var result = await services.FetchAsync(Origin.Url("fault/status/503"));

        Assert.Equal(FetchOutcome.HttpError, result.Outcome);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task FetchAsync_RedirectsDisabled_ReturnsTheRedirectItself()
    {
        using var services = Services(new() { ["Pipeline:Http:MaxRedirects"] = "0" });

        var result = await services.FetchAsync(Origin.Url("fault/loop"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        Assert.Equal(302, result.StatusCode);
    }

    [Fact]
    public async Task FetchAsync_RetriedAndCutOffResponses_AreAllDisposed()
    {
        var tracker = new ResponseTracker();
        using var services = Services(configure: s => s.AddHttpClient(PipelineHttpClient.Name).AddHttpMessageHandler(tracker.CreateHandler));

        var retried = await services.FetchAsync(Origin.Url("fault/status/500"));
        var flaky = await services.FetchAsync(Origin.Url($"fault/flaky/{Guid.NewGuid():N}/2/503"));
        var cutOff = await services.FetchAsync(Origin.Url("fault/endless"));

        Assert.Equal([AllAttempts, 3, 1], [retried.Attempts, flaky.Attempts, cutOff.Attempts]);
        Assert.Equal(AllAttempts + 3 + 1, tracker.Created);
        Assert.Equal(tracker.Created, tracker.Disposed);
    }

    [Fact]
    public async Task FetchAsync_Retried_AddsOneEventPerRetryToTheCurrentActivity()
    {
        using var services = Services();
        using var activity = new Activity("test fetch").Start();

        var result = await services.FetchAsync(Origin.Url($"fault/flaky/{Guid.NewGuid():N}/2/503?retryAfter=0"));

        Assert.Equal(3, result.Attempts);
        var retries = activity.Events.Where(e => e.Name == "retry").ToList();
        Assert.Equal([1, 2], retries.Select(e => e.Tags.Single(t => t.Key == "pipeline.attempt").Value));
        Assert.All(retries, e => Assert.Equal("HTTP 503 Service Unavailable", e.Tags.Single(t => t.Key == "pipeline.reason").Value));
    }

    [Fact]
    public async Task FetchAsync_RetryAfterSeconds_WaitsThatLongInsteadOfTheBackOff()
    {
        // The back-off would be 10 ms; the server asks for 1 s and gets it.
        using var services = Services();
        using var activity = new Activity("test fetch").Start();

        var result = await services.FetchAsync(Origin.Url($"fault/flaky/{Guid.NewGuid():N}/1/503?retryAfter=1"));

        Assert.Equal(2, result.Attempts);
        var retry = Assert.Single(activity.Events, e => e.Name == "retry");
        Assert.Equal(1000.0, retry.Tags.Single(t => t.Key == "pipeline.retry.delay_ms").Value);
    }

    [Fact]
    public async Task RunAsync_ListMixingGoodAndHostileUrls_CompletesWithEveryUrlAccountedFor()
    {
        // The hang ends with the budget; every other URL has all of it, however loaded the machine.
        using var services = Services(new() { ["Pipeline:Http:TotalTimeout"] = "00:00:05" });
        var sink = new RecordingSink();
        string[] urls =
        [
            Origin.Url("ok"),
            Origin.Url("fault/status/500"),
            Origin.Url("fault/hang"),
            Origin.Url("fault/reset"),
            Origin.Url("fault/endless"),
            Origin.Url("fault/loop"),
            Origin.Url("fault/status/404"),
            Origin.Url($"fault/flaky/{Guid.NewGuid():N}/1/503"),
        ];
        var plan = new RunPlan { Mode = PipelineMode.Concurrent, Concurrency = 4, Sources = [new ListUrlSource("list", urls)], Sink = sink };

        var summary = await services.Runner().RunAsync(plan, CancellationToken.None).Guarded();

        Assert.False(summary.Interrupted);
        Assert.Equal(urls.Length, summary.Total);
        Assert.Equal(2, summary.Succeeded);
        Assert.Equal(2, summary.HttpErrors);
        Assert.Equal(4, summary.Failed);
        Assert.Equal([1, AllAttempts, 1, AllAttempts, 1, 1, 1, 2], sink.Results.OrderBy(r => r.Line).Select(r => r.Attempts));
        Assert.StartsWith("per-URL budget of 5 s exhausted waiting for the response headers", sink.Results.Single(r => r.Line == 3).Error, StringComparison.Ordinal);
    }

    private static ServiceProvider Services(Dictionary<string, string?>? overrides = null, Action<IServiceCollection>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Pipeline:Http:Retry:MaxRetries"] = "2",
            ["Pipeline:Http:HeadersTimeout"] = "00:00:10",
            ["Pipeline:Http:RequestTimeout"] = "00:00:20",
            ["Pipeline:Http:MaxResponseBytes"] = "65536",
            ["Pipeline:Http:MaxRedirects"] = "3",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        return PipelineServices.Create(settings, configure);
    }
}
