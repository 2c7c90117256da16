using Pipeline.Sources;

namespace Pipeline.Tests.Sources;

public sealed class UrlLineParserTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    [InlineData("# comment")]
    [InlineData("   # indented comment")]
    public void Parse_BlankOrComment_IsSkipped(string line)
        => Assert.Null(UrlLineParser.Parse("f", 1, line));

    [Theory]
    [InlineData("http://example.test/a")]
    [InlineData("https://example.test:8443/a?b=c#frag")]
    [InlineData("  https://example.test/padded  ")]
    [InlineData("HTTP://EXAMPLE.TEST/UPPER")]
    public void Parse_AbsoluteHttpUrl_IsValid(string line)
    {
        var item = UrlLineParser.Parse("f", 7, line)!;

        Assert.True(item.IsValid);
        Assert.Null(item.Error);
        Assert.Equal(line.Trim(), item.Text);
        Assert.Equal(7, item.Line);
        Assert.Equal("f", item.Source);
    }

    [Theory]
    [InlineData("ftp://example.test/file", "unsupported scheme 'ftp': only http and https are fetched")]
    [InlineData("file:///etc/passwd", "unsupported scheme 'file': only http and https are fetched")]
    [InlineData("javascript:alert(1)", "unsupported scheme 'javascript': only http and https are fetched")]
    [InlineData("data:text/plain,hi", "unsupported scheme 'data': only http and https are fetched")]
    [InlineData("/relative/path", "relative URL: an absolute http or https URL is required")]
    [InlineData("example.test/no-scheme", "relative URL: an absolute http or https URL is required")]
    [InlineData("http://", "not a URL")]
    [InlineData("http://a.test/has space", "URL contains whitespace or control characters")]
    public void Parse_UnusableLine_IsInvalidWithTheReason(string line, string reason)
    {
        var item = UrlLineParser.Parse("f", 3, line)!;

        Assert.False(item.IsValid);
        Assert.Equal(reason, item.Error);
        Assert.Equal(3, item.Line);
    }

    [Fact]
    public void Parse_OverlongLine_IsInvalidWithItsLength()
    {
        var line = "http://example.test/" + new string('a', UrlLineParser.MaxUrlLength);

        var item = UrlLineParser.Parse("f", 1, line)!;

        Assert.False(item.IsValid);
        Assert.Equal($"line is {line.Length} characters long; a URL may have at most {UrlLineParser.MaxUrlLength}", item.Error);
        Assert.EndsWith("…", item.Text, StringComparison.Ordinal);
    }
}
