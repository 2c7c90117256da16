using System.Buffers;
using System.Text.Json;
using Pipeline.Fetching;
using Pipeline.State;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>Writes one JSON object per line: easy to <c>tail -f</c>, <c>grep</c> and <c>jq</c>.</summary>
/// <remarks>
/// Lines are serialised into a buffer of the sink's own and handed to the stream in chunks of
/// about 32 KiB, and on every <see cref="FlushAsync"/>: one stream write per hundred-odd results
/// instead of two per result.
/// </remarks>
public sealed partial class JsonLinesResultSink : IResultFile
{
    private const int ChunkSize = 32 * 1024;

    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkSize + (4 * 1024));
    private readonly Utf8JsonWriter _writer;
    private readonly UrlRedactor _redactor;
    private readonly bool _fsync;
    private string? _source;
    private JsonEncodedText _encodedSource;

    /// <summary>Initializes a new instance of the <see cref="JsonLinesResultSink"/> class writing to a stream.</summary>
    /// <param name="stream">The stream; the sink owns and disposes it.</param>
    /// <param name="redactor">How URLs and error texts are written: without userinfo and sensitive parameter values; <see cref="UrlRedactor.Default"/> when <see langword="null"/>.</param>
    /// <param name="fsync">Whether <see cref="FlushAsync"/> also makes a <see cref="FileStream"/>'s data durable (fsync); off only to measure what that costs.</param>
    /// <remarks>The results file is an output: a URL's credentials never reach it. Its <c>source</c> and <c>line</c> still lead back to the input exactly.</remarks>
    public JsonLinesResultSink(Stream stream, UrlRedactor? redactor = null, bool fsync = true)
    {
        _stream = stream;
        _redactor = redactor ?? UrlRedactor.Default;
        _fsync = fsync;
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Gets the length of the file up to the last flush: every record before it is whole and on the disk.</summary>
    public long FlushedLength { get; private set; }

    /// <summary>Gets what was done to a partial last line found when the file was opened for appending.</summary>
    public TailRepair TailRepair { get; private init; }

    /// <inheritdoc />
    public ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (!ReferenceEquals(result.Source, _source))
        {
            _source = result.Source;
            _encodedSource = JsonEncodedText.Encode(result.Source);
        }

        ResultRecord.Write(_writer, result, _encodedSource, _redactor);
        _writer.Flush();
        _writer.Reset();
        _buffer.GetSpan(1)[0] = (byte)'\n';
        _buffer.Advance(1);
        return _buffer.WrittenCount >= ChunkSize ? WriteBufferedAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    /// <remarks>Flushed <em>and</em> fsync'd: a source may forget an item (a broker ack, a checkpoint) once this returns.</remarks>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await WriteBufferedAsync(cancellationToken);
        if (_stream is FileStream file)
        {
            file.Flush(flushToDisk: _fsync);
            FlushedLength = file.Position;
        }
        else
        {
            await _stream.FlushAsync(cancellationToken);
        }
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
