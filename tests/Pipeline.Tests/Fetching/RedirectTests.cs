using Pipeline.Fetching;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Fetching;

/// <summary>Redirects, followed by the fetcher itself: counted, the final URL known, a loop told from a long chain.</summary>
public sealed class RedirectTests : OriginTest
{
    [Fact]
    public async Task FetchAsync_Chain_CountsTheRedirectsAndNamesTheFinalUrl()
    {
        using var services = Services(maxRedirects: 5);

        var result = await services.FetchAsync(Origin.Url("fault/chain/3"));

        Assert.Equal(FetchOutcome.Succeeded, result.Outcome);
        Assert.Equal(200, result.StatusCode);
        Assert.Equal(3, result.Redirects);
        Assert.Equal(Origin.Url("fault/chain/0"), result.FinalUrl);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task FetchAsync_NoRedirect_FinalUrlIsTheInputAsWritten()
    {
        using var services = Services(maxRedirects: 5);
        var url = Origin.Url("ok?b=2&a=1");

        var result = await services.FetchAsync(url);

        Assert.Equal((0, url), (result.Redirects, result.FinalUrl));
    }

    [Fact]
    public async Task FetchAsync_RedirectToItself_FailsAtOnceAsALoop()
    {
        using var services = Services(maxRedirects: 50);

        var result = await services.FetchAsync(Origin.Url("fault/loop"));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorTypes.RedirectLoop, result.ErrorType);
        Assert.Equal(302, result.StatusCode);
        Assert.Equal(0, result.Redirects);
        Assert.StartsWith("redirect loop: 302 from ", result.Error, StringComparison.Ordinal);
        Assert.Equal(1, result.Attempts);
    }

    [Fact]
    public async Task FetchAsync_ChainLongerThanTheLimit_FailsAsTooManyRedirects()
    {
        using var services = Services(maxRedirects: 2);

        var result = await services.FetchAsync(Origin.Url("fault/chain/4"));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorTypes.TooManyRedirects, result.ErrorType);
        Assert.Equal(2, result.Redirects);
        Assert.Equal(Origin.Url("fault/chain/2"), result.FinalUrl);
        Assert.StartsWith($"too many redirects (more than 2): 302 from {Origin.Url("fault/chain/2")} to {Origin.Url("fault/chain/1")}", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://127.0.0.1/file", "redirect to a ftp: URL not followed: 302 from ")]
    [InlineData("mailto:someone@example.com", "redirect to a mailto: URL not followed: 302 from ")]
    public async Task FetchAsync_RedirectToAnotherScheme_IsRefused(string to, string reason)
    {
        using var services = Services(maxRedirects: 5);

        var result = await services.FetchAsync(Origin.Url($"fault/redirect?to={Uri.EscapeDataString(to)}"));

        Assert.Equal(FetchOutcome.Failed, result.Outcome);
        Assert.Equal(ErrorTypes.RedirectRefused, result.ErrorType);
        Assert.StartsWith(reason, result.Error, StringComparison.Ordinal);
    }

    private static Microsoft.Extensions.DependencyInjection.ServiceProvider Services(int maxRedirects) => PipelineServices.Create(new Dictionary<string, string?>
    {
        ["Pipeline:Http:MaxRedirects"] = maxRedirects.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Pipeline:Http:Retry:MaxRetries"] = "0",
    });
}
