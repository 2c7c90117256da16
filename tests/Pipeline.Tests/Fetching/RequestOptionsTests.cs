using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Fetching;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Fetching;

/// <summary>Method, extra headers and the accept-list, against the echo endpoints of the test origin.</summary>
public sealed class RequestOptionsTests : OriginTest
{
    [Fact]
    public async Task FetchAsync_Head_SendsHeadAndReadsNoBody()
    {
        // A body over the size limit: a GET fails, a HEAD never reads it.
        var key = Key();
        using var services = Services(new() { ["Pipeline:Http:Method"] = "HEAD", ["Pipeline:Http:MaxResponseBytes"] = "1000" });

        var result = await services.FetchAsync(Origin.Url($"echo/{key}?size=100000"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        Assert.Equal(0, result.Bytes);
        Assert.Equal(100000, result.ContentLength);
        Assert.Equal("text/plain; charset=utf-8", result.ContentType);
        Assert.Equal("HEAD", Assert.Single(Origin.Requests(key)).Method);
    }

    [Fact]
    public async Task FetchAsync_Get_ReadsTheBodyAndRecordsItsHeaders()
    {
        var key = Key();
        using var services = Services();

        var result = await services.FetchAsync(Origin.Url($"echo/{key}?size=1234"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        Assert.Equal(1234, result.Bytes);
        Assert.Equal(1234, result.ContentLength);
        Assert.Equal("text/plain; charset=utf-8", result.ContentType);
        Assert.Equal("GET", Assert.Single(Origin.Requests(key)).Method);
    }

    [Fact]
    public async Task FetchAsync_HeadersConfigured_SendsGlobalAndHostHeadersTheHostWinning()
    {
        var key = Key();
        using var services = Services(new()
        {
            ["Pipeline:Http:Headers:X-Global"] = "g",
            ["Pipeline:Http:Headers:X-Both"] = "global",
            ["Pipeline:Http:HostHeaders:127.0.0.1:X-Both"] = "host",
            ["Pipeline:Http:HostHeaders:127.0.0.1:X-Api-Key"] = "k1",
            ["Pipeline:Http:HostHeaders:other.test:X-Other"] = "never",
        });

        var result = await services.FetchAsync(Origin.Url($"echo/{key}"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        var headers = Assert.Single(Origin.Requests(key)).Headers;
        Assert.Equal("g", headers["X-Global"]);
        Assert.Equal("host", headers["X-Both"]);
        Assert.Equal("k1", headers["X-Api-Key"]);
        Assert.False(headers.ContainsKey("X-Other"));
    }

    [Fact]
    public async Task FetchAsync_RedirectToAnotherHost_SendsThatHostOnlyItsOwnHeadersAndNoCredentials()
    {
        // 127.0.0.1 and localhost reach the same origin under two host names.
        var key = Key();
        var port = new Uri(Origin.Url("")).Port;
        using var services = Services(new()
        {
            ["Pipeline:Http:Headers:X-Global"] = "g",
            ["Pipeline:Http:Headers:Authorization"] = "Bearer global",
            ["Pipeline:Http:HostHeaders:127.0.0.1:X-Api-Key"] = "k1",
            ["Pipeline:Http:HostHeaders:localhost:X-Local"] = "l",
        });

        var result = await services.FetchAsync(Origin.Url($"echo/{key}/redirect?to=http://localhost:{port}/echo/{key}"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        Assert.Equal(1, result.Redirects);
        Assert.Equal($"http://localhost:{port}/echo/{key}", result.FinalUrl);
        var requests = Origin.Requests(key);
        Assert.Equal(["127.0.0.1", "localhost"], requests.Select(r => r.Host));
        var (first, second) = (requests[0].Headers, requests[1].Headers);
        Assert.Equal(("g", "Bearer global", "k1"), (first["X-Global"], first["Authorization"], first["X-Api-Key"]));
        Assert.False(first.ContainsKey("X-Local"));
        Assert.Equal(("g", "l"), (second["X-Global"], second["X-Local"]));
        Assert.False(second.ContainsKey("Authorization"));
        Assert.False(second.ContainsKey("X-Api-Key"));
    }

    [Fact]
    public async Task FetchAsync_AcceptedStatus_SucceedsWithoutRetrying()
    {
        var key = Key();
        using var services = Services(new() { ["Pipeline:Http:AcceptStatuses"] = "200..299, 503" });

        var result = await services.FetchAsync(Origin.Url($"fault/flaky/{key}/5/503"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        Assert.Equal(503, result.StatusCode);
        Assert.Equal(1, result.Attempts);
        Assert.Equal(1, Origin.Hits(key));
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task FetchAsync_AcceptedClientError_Succeeds()
    {
        using var services = Services(new() { ["Pipeline:Http:AcceptStatuses"] = "200..299,403" });

        var result = await services.FetchAsync(Origin.Url("fault/status/403"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        Assert.Null(ErrorTypes.Of(result));
    }

    [Fact]
    public async Task FetchAsync_StatusOutsideTheAcceptList_IsAnHttpError()
    {
        var key = Key();
        using var services = Services(new() { ["Pipeline:Http:AcceptStatuses"] = "200" });

        var result = await services.FetchAsync(Origin.Url($"echo/{key}/status/204"));

        Assert.Equal(FetchOutcome.HttpError, result.Outcome);
        Assert.Equal(1, result.Attempts);
        Assert.Equal("204", ErrorTypes.Of(result));
    }

    [Fact]
    public async Task FetchAsync_DefaultAcceptList_RetriesA503AndCountsItAnHttpError()
    {
        var key = Key();
        using var services = Services();

        var result = await services.FetchAsync(Origin.Url($"fault/flaky/{key}/5/503"));

        Assert.Equal(FetchOutcome.HttpError, result.Outcome);
        Assert.Equal(3, result.Attempts);
        Assert.Equal("503", ErrorTypes.Of(result));
    }

    [Theory]
    [InlineData("Pipeline:Http:AcceptStatuses", "200..", "Pipeline:Http:AcceptStatuses: '200..' is not valid: '200..' is not a status code (100-999) or a range of them such as 200..299.")]
    [InlineData("Pipeline:Http:AcceptStatuses", "299..200", "Pipeline:Http:AcceptStatuses: '299..200' is not valid: the range '299..200' is empty (write the lower code first).")]
    [InlineData("Pipeline:Http:AcceptStatuses", "", "Pipeline:Http:AcceptStatuses: '' is not valid: the list is empty.")]
    [InlineData("Pipeline:Http:AcceptStatuses", "200,,300", "Pipeline:Http:AcceptStatuses: '200,,300' is not valid: an entry is empty.")]
    [InlineData("Pipeline:Http:AcceptStatuses", "42", "Pipeline:Http:AcceptStatuses: '42' is not valid: '42' is not a status code (100-999) or a range of them such as 200..299.")]
    [InlineData("Pipeline:Http:Headers:Host", "example.com", "Pipeline:Http:Headers:Host: 'Host' is set by the HTTP handler itself and cannot be configured.")]
    [InlineData("Pipeline:Http:Headers:User-Agent", "x", "Pipeline:Http:Headers:User-Agent: set the User-Agent with Pipeline:Http:UserAgent.")]
    [InlineData("Pipeline:Http:Headers:Bad Name", "x", "Pipeline:Http:Headers:Bad Name: 'Bad Name' is not a request header name.")]
    [InlineData("Pipeline:Http:Headers:Content-Type", "x", "Pipeline:Http:Headers:Content-Type: 'Content-Type' is not a request header name.")]
    [InlineData("Pipeline:Http:HostHeaders:a.test:X-Key", "s3cr3t\nInjected: yes", "Pipeline:Http:HostHeaders:a.test:X-Key: the value is missing or holds a line break or NUL (values are not shown).")]
    [InlineData("Pipeline:Http:HostHeaders:a b:X-Key", "v", "Pipeline:Http:HostHeaders:a b: 'a b' is not a host name (write the host as in the URL, without scheme or port).")]
    public void Options_InvalidRequestSetting_FailsNamingTheKey(string key, string value, string message)
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<HttpFetchOptions>>().Value);

        Assert.Contains(error.Failures, failure => failure.StartsWith(message, StringComparison.Ordinal));
        Assert.DoesNotContain(error.Failures, failure => failure.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_InvalidMethod_FailsNamingTheKeyAndTheValues()
    {
        using var services = PipelineServices.Create(new Dictionary<string, string?> { ["Pipeline:Http:Method"] = "POST" });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<HttpFetchOptions>>().Value);

        Assert.Contains("Pipeline:Http:Method: 'POST' is not valid. Allowed values: Get, Head.", error.Failures);
    }

    [Fact]
    public void Options_Defaults_GetAndOneToThreeHundredsAccepted()
    {
        var options = new HttpFetchOptions();

        Assert.Equal((RequestMethod.Get, "100..399"), (options.Method, options.AcceptStatuses));
        Assert.Empty(options.Headers);
        Assert.Empty(options.HostHeaders);
    }

    private static string Key() => Guid.NewGuid().ToString("N");

    private static ServiceProvider Services(Dictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?> { ["Pipeline:Http:Retry:MaxRetries"] = "2" };
        foreach (var (key, value) in overrides ?? [])
        {
            settings[key] = value;
        }

        return PipelineServices.Create(settings);
    }
}
