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
    public async Task ListUrlSource_KnownCount_CountsUrlsButNotBlanksOrComments()
    {
        var source = new ListUrlSource("settings", ["http://a.test/1", "", "# c", "bad"]);

        Assert.Equal(2, source.KnownCount);
        Assert.Equal([1L, 4], (await Read(source)).Select(i => i.Line));
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
