using Pipeline.Sources;

namespace Pipeline.Tests.Sources;

public sealed class TextFileUrlSourceTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();

    public void Dispose() => File.Delete(_path);

    [Fact]
    public async Task ReadAsync_FileWithBomCrLfAndComments_YieldsItemsWithTheirLineNumbers()
    {
        await File.WriteAllTextAsync(_path, "\uFEFF# urls\r\nhttp://a.test/1\r\n\r\nnope\r\nhttp://a.test/2");

        var items = await Read(new TextFileUrlSource(_path));

        Assert.Equal([2L, 4, 5], items.Select(i => i.Line));
        Assert.Equal(["http://a.test/1", "nope", "http://a.test/2"], items.Select(i => i.Text));
        Assert.Equal([true, false, true], items.Select(i => i.IsValid));
    }

    [Fact]
    public async Task ReadAsync_ReadTwice_StartsOverEachTime()
    {
        await File.WriteAllLinesAsync(_path, ["http://a.test/1", "http://a.test/2"]);
        var source = new TextFileUrlSource(_path);

        Assert.Equal(2, (await Read(source)).Count);
        Assert.Equal(2, (await Read(source)).Count);
        Assert.Null(source.KnownCount);
    }

    [Fact]
    public async Task ListUrlSource_EmptyEntry_IsAnInvalidItemButACommentIsSkipped()
    {
        var source = new ListUrlSource("settings", ["http://a.test/1", "", "# c", "bad"]);

        var items = await Read(source);

        Assert.Equal(3, source.KnownCount);
        Assert.Equal([1L, 2, 4], items.Select(i => i.Line));
        Assert.Equal("empty entry: a URL is required", items[1].Error);
    }

    [Fact]
    public async Task ReadAsync_InvalidUtf8AndHugeLine_BecomeInvalidItemsAndReadingGoesOn()
    {
        var huge = new string('a', 5_000_000);
        await using (var file = File.Create(_path))
        {
            await file.WriteAsync("http://a.test/1\n"u8.ToArray());
            await file.WriteAsync(new byte[] { (byte)'h', (byte)'t', (byte)'t', (byte)'p', (byte)':', (byte)'/', (byte)'/', 0xC3, 0x28, (byte)'\n' });
            await file.WriteAsync(System.Text.Encoding.ASCII.GetBytes("http://a.test/" + huge + "\r\n"));
            await file.WriteAsync("http://a.test/2"u8.ToArray());
        }

        var items = await Read(new TextFileUrlSource(_path));

        Assert.Equal([1L, 2, 3, 4], items.Select(i => i.Line));
        Assert.Equal("line is not valid UTF-8", items[1].Error);
        Assert.Equal($"line is {huge.Length + 14} characters long; a URL may have at most {UrlLineParser.MaxUrlLength}", items[2].Error);
        Assert.True(items[2].Text.Length < 300);
        Assert.True(items[3].IsValid);
    }

    [Fact]
    public async Task StartAfter_LinePosition_SkipsWhatWasAlreadyRead()
    {
        await File.WriteAllLinesAsync(_path, ["http://a.test/1", "# c", "http://a.test/2", "http://a.test/3"]);
        var source = new TextFileUrlSource(_path);

        var rest = await Read(source.StartAfter(new SourcePosition(2, 3, false)));

        Assert.Equal([4L], rest.Select(i => i.Line));
    }

    private static async Task<List<WorkItem>> Read(IUrlSource source)
    {
        var items = new List<WorkItem>();
        await foreach (var item in source.ReadAsync(CancellationToken.None))
        {
            items.Add(item);
        }

        return items;
    }
}
