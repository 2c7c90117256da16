using System.Security.Cryptography;
using System.Text;
using Pipeline.DemoOrigin;
using Pipeline.Fetching;
using Pipeline.Processing;

namespace Pipeline.Tests.Processing;

public sealed class ProcessorTests
{
    [Theory]
    [InlineData("<html><head><title>Hello</title></head></html>", "Hello")]
    [InlineData("<TITLE lang=\"en\">  Two\n   words &amp; more </TITLE>", "Two words & more")]
    [InlineData("<titles>no</titles><title>yes</title>", "yes")]
    [InlineData("<title>cut off by MaxBodyBytes", "cut off by MaxBodyBytes")]
    public void Find_Html_ReturnsTheDecodedTitle(string html, string expected)
        => Assert.Equal(expected, TitleProcessor.Find(Encoding.UTF8.GetBytes(html)));

    [Fact]
    public void Find_NoTitle_ReturnsNull() => Assert.Null(TitleProcessor.Find("<html><body>none</body></html>"u8));

    [Fact]
    public void Count_MixedLinks_CountsAbsoluteHttpLinksInHrefAttributesOnly()
    {
        var html = """
            <a href="https://a.example/1">1</a>
            <a HREF='http://b.example/2?x=1&amp;y=2'>2</a>
            <a href=https://c.example/3>3</a>
            <a href="/relative">no</a>
            <a href="mailto:someone@example.com">no</a>
            <a data-href="https://d.example/not-an-attribute">no</a>
            <a href="ftp://e.example/no">no</a>
            <a href = " https://f.example/6 ">6</a>
            """u8;
        var list = new List<string>();

        var count = LinksProcessor.Count(html, list);

        Assert.Equal(4, count);
        Assert.Equal(["https://a.example/1", "http://b.example/2?x=1&y=2", "https://c.example/3", "https://f.example/6"], list);
    }

    [Fact]
    public void Count_DemoPage_CountsEveryLink()
    {
        Assert.Equal(500, LinksProcessor.Count(DemoPage.Get(500), list: null));
        Assert.Equal(DemoPage.Title(500), TitleProcessor.Find(DemoPage.Get(500)));
    }

    [Fact]
    public void Append_BodyLongerThanTheLimit_KeepsTheStartAndSaysItWasTruncated()
    {
        using var body = new ResponseBody(maxBytes: 20_000);
        var page = DemoPage.Get(1000);
        for (var at = 0; at < page.Length; at += 4096)
        {
            body.Append(page.AsSpan(at, Math.Min(4096, page.Length - at)));
        }

        Assert.True(body.Truncated);
        Assert.Equal(page.Length, body.TotalBytes);
        Assert.Equal(page.AsSpan(0, 20_000).ToArray(), body.Memory.ToArray());
        body.Reset();
        Assert.Equal((0, 0L, false), (body.Memory.Length, body.TotalBytes, body.Truncated));
    }

    [Fact]
    public async Task ProcessAsync_Sha256AndSave_WritesTheBodyOnceUnderItsHash()
    {
        var directory = Directory.CreateTempSubdirectory("pipeline-save-").FullName;
        try
        {
            var options = new ProcessOptions { SaveDirectory = directory };
            var save = new SaveProcessor();
            var content = Encoding.UTF8.GetBytes("<title>saved</title>");
            var hash = Convert.ToHexStringLower(SHA256.HashData(content));
            var first = Context(content, options);
            var second = Context(content, options);

            await new Sha256Processor().ProcessAsync(first, CancellationToken.None);
            await save.ProcessAsync(first, CancellationToken.None);
            await save.ProcessAsync(second, CancellationToken.None);

            var path = Path.Combine(directory, hash[..2], hash + ".body");
            Assert.Equal(hash, first.Output["sha256"]);
            Assert.Equal(path, first.Output["saved"]);
            Assert.Equal(path, second.Output["saved"]);
            Assert.Equal(content, await File.ReadAllBytesAsync(path));
            Assert.Equal([path], Directory.GetFiles(directory, "*", SearchOption.AllDirectories));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Set_ReservedKey_IsRefused()
        => Assert.Throws<ArgumentException>(() => new ProcessOutput().Set("error", "mine"));

    private static ProcessContext Context(byte[] content, ProcessOptions options)
    {
        var body = new ResponseBody(1024);
        body.Append(content);
        var result = new FetchResult { Url = "http://127.0.0.1/x", Source = "test", Line = 1, Outcome = FetchOutcome.Succeeded };
        return new ProcessContext(result, body, new ProcessOutput(), options);
    }
}
