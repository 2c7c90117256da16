using System.IO.Compression;
using System.IO.Pipes;
using System.Text;
using Pipeline.Sources;

namespace Pipeline.Tests.Sources;

/// <summary>Inputs beyond plain files: <c>.gz</c> files read decompressed, and standard input read as it comes.</summary>
public sealed class CompressedAndStandardInputSourceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("pipeline-inputs-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ReadAsync_GzipFile_YieldsTheDecompressedLinesAndCountsCompressedBytes()
    {
        var path = await WriteGzipAsync("urls.txt.gz", Enumerable.Range(1, 2000).Select(i => $"http://127.0.0.1/{i}").Prepend("# comment"));
        var source = new TextFileUrlSource(path);

        var items = await Read(source);

        Assert.Equal(Enumerable.Range(2, 2000).Select(i => (long)i), items.Select(i => i.Line));
        Assert.Equal("http://127.0.0.1/2000", items[^1].Text);
        Assert.All(items, i => Assert.True(i.IsValid));
        Assert.Equal(new FileInfo(path).Length, source.TotalBytes);
        Assert.Equal(source.TotalBytes, source.BytesRead);
    }

    [Fact]
    public async Task StartAfter_GzipFile_SkipsDecompressedLinesUpToTheCheckpoint()
    {
        var path = await WriteGzipAsync("urls.txt.gz", Enumerable.Range(1, 10).Select(i => $"http://127.0.0.1/{i}"));
        var source = new TextFileUrlSource(path);
        var fingerprint = source.Fingerprint;

        var rest = await Read(source.StartAfter(new SourcePosition(6, 6, false)));

        Assert.Equal([7L, 8, 9, 10], rest.Select(i => i.Line));
        Assert.Equal(fingerprint, new TextFileUrlSource(path).Fingerprint);
    }

    [Fact]
    public async Task ReadAsync_FileBeingRead_ReportsTheShareReadBeforeTheEnd()
    {
        var path = Path.Combine(_directory, "urls.txt");
        await File.WriteAllLinesAsync(path, Enumerable.Range(1, 50_000).Select(i => $"http://127.0.0.1/{i}"));
        var source = new TextFileUrlSource(path);
        Assert.Null(source.TotalBytes);

        await using var items = source.ReadAsync(CancellationToken.None).GetAsyncEnumerator();
        Assert.True(await items.MoveNextAsync());

        Assert.Equal(new FileInfo(path).Length, source.TotalBytes);
        Assert.InRange(source.BytesRead, 1, source.TotalBytes!.Value - 1);
    }

    [Fact]
    public async Task StandardInputUrlSource_SlowReader_ReadsAheadNoMoreThanItsBuffers()
    {
        // 7 MB offered; the reader takes three items and waits, as a producer does on a full channel.
        var input = new CountingStream(Enumerable.Range(1, 300_000).Select(i => $"http://127.0.0.1/{i}\n"));
        var offered = input.Length;
        var source = new StandardInputUrlSource(() => input);

        await using (var items = source.ReadAsync(CancellationToken.None).GetAsyncEnumerator())
        {
            for (var i = 1; i <= 3; i++)
            {
                Assert.True(await items.MoveNextAsync());
                Assert.Equal(i, items.Current.Line);
                Assert.Equal(StandardInputUrlSource.SourceName, items.Current.Source);
            }
        }

        Assert.InRange(input.Taken, 1, 256 * 1024);
        Assert.True(offered > 7_000_000);
    }

    [Fact]
    public async Task StandardInputUrlSource_ReadTwice_RefusesTheSecondPass()
    {
        var source = new StandardInputUrlSource(() => new MemoryStream("http://127.0.0.1/1\n"u8.ToArray()));
        Assert.Single(await Read(source));

        var ex = Assert.Throws<InvalidOperationException>(() => source.ReadAsync(CancellationToken.None));

        Assert.Contains("read once", ex.Message, StringComparison.Ordinal);
        Assert.IsNotAssignableFrom<IResumableUrlSource>(source);
    }

    [Fact]
    public async Task StandardInputUrlSource_PipeThatNeverEnds_StopsWaitingWhenCancelled()
    {
        using var server = new AnonymousPipeServerStream(PipeDirection.Out);
        using var client = new AnonymousPipeClientStream(PipeDirection.In, server.ClientSafePipeHandle);
        var source = new StandardInputUrlSource(() => client);
        using var stop = new CancellationTokenSource();
        await using var items = source.ReadAsync(stop.Token).GetAsyncEnumerator(stop.Token);

        var next = items.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => next.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private async Task<string> WriteGzipAsync(string name, IEnumerable<string> lines)
    {
        var path = Path.Combine(_directory, name);
        await using var file = File.Create(path);
        await using var gzip = new GZipStream(file, CompressionLevel.Optimal);
        await using var writer = new StreamWriter(gzip, new UTF8Encoding(false));
        foreach (var line in lines)
        {
            await writer.WriteLineAsync(line);
        }

        return path;
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

    // A stream over generated text that counts what was read from it.
    private sealed class CountingStream(IEnumerable<string> lines) : MemoryStream(Encoding.UTF8.GetBytes(string.Concat(lines)))
    {
        public long Taken { get; private set; }

        public override int Read(byte[] buffer, int offset, int count) => Count(base.Read(buffer, offset, count));

        public override int Read(Span<byte> buffer) => Count(base.Read(buffer));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Count(base.Read(buffer.Span)));

        private int Count(int read)
        {
            Taken += read;
            return read;
        }
    }
}
