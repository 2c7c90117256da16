using Pipeline.Telemetry;

namespace Pipeline.Tests.Telemetry;

public sealed class UrlRedactorTests
{
    private static readonly UrlRedactor Shown = new(new TelemetryOptions { ShowQueryStrings = true });
    private static readonly UrlRedactor Safe = new(new TelemetryOptions { SafeQueryParameters = ["i", "page"] });
    private static readonly UrlRedactor Extra = new(new TelemetryOptions { ShowQueryStrings = true, SensitiveQueryParameters = ["session"] });

    [Theory]
    [InlineData("http://example.test/a/b", "http://example.test/a/b")]
    [InlineData("http://user:s3cr3t@example.test/a", "http://REDACTED:REDACTED@example.test/a")]
    [InlineData("https://user@example.test:8443", "https://REDACTED:REDACTED@example.test:8443")]
    [InlineData("http://u:p@ss@example.test/x@y", "http://REDACTED:REDACTED@example.test/x@y")]
    [InlineData("http://example.test/p?i=7&token=abc", "http://example.test/p?*")]
    [InlineData("http://example.test/p?", "http://example.test/p?")]
    [InlineData("http://example.test/p#frag", "http://example.test/p#*")]
    [InlineData("http://user:pw@example.test/p?a=1#f", "http://REDACTED:REDACTED@example.test/p?*#*")]
    [InlineData("HTTP://EXAMPLE.test\\path?q=1", "HTTP://EXAMPLE.test\\path?*")]
    public void ForTelemetry_Default_RemovesUserInfoAndHidesTheQuery(string url, string expected)
        => Assert.Equal(expected, UrlRedactor.Default.ForTelemetry(url));

    [Theory]
    [InlineData("http://example.test/p?i=7&token=abc&x=1", "http://example.test/p?i=7&token=REDACTED&x=1")]
    [InlineData("http://example.test/p?X-Amz-Signature=ff&X-Amz-Date=1", "http://example.test/p?X-Amz-Signature=REDACTED&X-Amz-Date=1")]
    [InlineData("http://example.test/p?SIG=1&Password=2&api%5Fkey=3", "http://example.test/p?SIG=REDACTED&Password=REDACTED&api%5Fkey=REDACTED")]
    [InlineData("http://user:pw@example.test/p?q=1#frag", "http://REDACTED:REDACTED@example.test/p?q=1#frag")]
    [InlineData("http://example.test/p?flag&key", "http://example.test/p?flag&key=REDACTED")]
    public void ForResults_KeepsTheQueryButMasksSensitiveValues(string url, string expected)
        => Assert.Equal(expected, UrlRedactor.Default.ForResults(url));

    [Theory]
    [InlineData("http://127.0.0.1:8080/ok?i=7")]
    [InlineData("http://example.test/p?i=7&page=2&&flag&a%20b=1")]
    [InlineData("http://example.test/p?")]
    public void ForResults_NothingToMask_ReturnsTheSameString(string url)
        => Assert.Same(url, UrlRedactor.Default.ForResults(url));

    [Theory]
    [InlineData("http://example.test/p?i=7&token=abc", "http://example.test/p?i=7&token=REDACTED")]
    [InlineData("http://example.test/p?i=7#frag", "http://example.test/p?i=7#frag")]
    public void ForTelemetry_ShowQueryStrings_ShowsAllButSensitiveValues(string url, string expected)
        => Assert.Equal(expected, Shown.ForTelemetry(url));

    [Theory]
    [InlineData("http://example.test/delay/200?i=7", "http://example.test/delay/200?i=7")]
    [InlineData("http://example.test/p?i=7&page=2&user=bob&token=abc&bare", "http://example.test/p?i=7&page=2&user=*&token=REDACTED&*")]
    public void ForTelemetry_SafeParameters_KeepOnlyThoseValues(string url, string expected)
        => Assert.Equal(expected, Safe.ForTelemetry(url));

    [Fact]
    public void ForResults_ConfiguredSensitiveName_IsMaskedBesideTheBuiltInOnes()
        => Assert.Equal("http://example.test/?session=REDACTED&token=REDACTED&a=1", Extra.ForResults("http://example.test/?session=1&token=2&a=1"));

    [Theory]
    [InlineData(null, null)]
    [InlineData("connection refused", "connection refused")]
    [InlineData(
        "too many redirects (more than 1; a redirect loop?): 302 from http://u:s3cr3t@a.test/x?token=s3cr3t to http://u:s3cr3t@b.test/y?sig=s3cr3t",
        "too many redirects (more than 1; a redirect loop?): 302 from http://REDACTED:REDACTED@a.test/x?* to http://REDACTED:REDACTED@b.test/y?*")]
    [InlineData("failed ('https://u:p@a.test/?q=1'), then http://b.test/z.", "failed ('https://REDACTED:REDACTED@a.test/?*'), then http://b.test/z.")]
    [InlineData("odd :// text and ://x", "odd :// text and ://x")]
    public void TextForTelemetry_RedactsEveryUrlInTheText(string? text, string? expected)
        => Assert.Equal(expected, UrlRedactor.Default.TextForTelemetry(text));

    [Fact]
    public void TextForResults_RedactsUserInfoAndSensitiveValuesOnly()
        => Assert.Equal(
            "302 from http://REDACTED:REDACTED@a.test/x?token=REDACTED&q=1 to http://b.test/y",
            UrlRedactor.Default.TextForResults("302 from http://u:s3cr3t@a.test/x?token=s3cr3t&q=1 to http://b.test/y"));
}
