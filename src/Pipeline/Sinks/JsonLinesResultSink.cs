using System.Buffers;
using System.Text.Json;
using Pipeline.Fetching;

namespace Pipeline.Sinks;

/// <summary>Writes one JSON object per line: easy to <c>tail -f</c>, <c>grep</c> and <c>jq</c>.</summary>
/// <remarks>
/// Lines are serialised into a buffer of the sink's own and handed to the stream in chunks of
/// about 32 KiB, and on every <see cref="FlushAsync"/>: one stream write per hundred-odd results
/// instead of two per result.
/// </remarks>
public sealed class JsonLinesResultSink : IResultSink, IAsyncDisposable
{
    private const int ChunkSize = 32 * 1024;

    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkSize + (4 * 1024));
    private readonly Utf8JsonWriter _writer;
    private string? _source;
    private JsonEncodedText _encodedSource;

    /// <summary>Initializes a new instance of the <see cref="JsonLinesResultSink"/> class writing to a stream.</summary>
    /// <param name="stream">The stream; the sink owns and disposes it.</param>
    public JsonLinesResultSink(Stream stream)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Creates (or truncates, or appends to) a results file, creating its folder if needed.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="append">Whether to append (a resumed batch) rather than start a new file.</param>
    /// <returns>The sink.</returns>
    public static JsonLinesResultSink Create(string path, bool append = false)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        return new JsonLinesResultSink(new FileStream(path, new FileStreamOptions
        {
            Mode = append ? FileMode.Append : FileMode.Create,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            // The sink writes in chunks of its own: a second buffer would only copy them.
            BufferSize = 0,
            Options = FileOptions.Asynchronous,
        }));
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!ReferenceEquals(result.Source, _source))
        {
            _source = result.Source;
            _encodedSource = JsonEncodedText.Encode(result.Source);
        }

        ResultRecord.Write(_writer, result, _encodedSource);
        _writer.Flush();
        _writer.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        return _buffer.WrittenCount >= ChunkSize ? WriteBufferedAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await WriteBufferedAsync(cancellationToken);
        await _stream.FlushAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await WriteBufferedAsync(CancellationToken.None);
        }
        finally
        {
            await _writer.DisposeAsync();
            await _stream.DisposeAsync();
        }
    }

    private async ValueTask WriteBufferedAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        await _stream.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }
}
