using System.Text.Json;
using Pipeline.Fetching;
using Pipeline.State;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>Writes one JSON object per line: easy to <c>tail -f</c>, <c>grep</c> and <c>jq</c>.</summary>
/// <remarks>
/// Lines are serialised into the buffer of a <see cref="ChunkedResultStream"/>, which hands them to
/// the stream in chunks of about 32 KiB and on every <see cref="FlushAsync"/>.
/// </remarks>
public sealed partial class JsonLinesResultSink : IResultFile
{
    private readonly ChunkedResultStream _file;
    private readonly Utf8JsonWriter _writer;
    private readonly UrlRedactor _redactor;
    private string? _source;
    private JsonEncodedText _encodedSource;

    /// <summary>Initializes a new instance of the <see cref="JsonLinesResultSink"/> class writing to a stream.</summary>
    /// <param name="stream">The stream; the sink owns and disposes it.</param>
    /// <param name="redactor">How URLs and error texts are written: without userinfo and sensitive parameter values; <see cref="UrlRedactor.Default"/> when <see langword="null"/>.</param>
    /// <param name="fsync">Whether <see cref="FlushAsync"/> also makes a <see cref="FileStream"/>'s data durable (fsync); off only to measure what that costs.</param>
    /// <remarks>The results file is an output: a URL's credentials never reach it. Its <c>source</c> and <c>line</c> still lead back to the input exactly.</remarks>
    public JsonLinesResultSink(Stream stream, UrlRedactor? redactor = null, bool fsync = true)
    {
        _file = new ChunkedResultStream(stream, fsync);
        _redactor = redactor ?? UrlRedactor.Default;
        _writer = new Utf8JsonWriter(_file.Buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Gets the length of the file up to the last flush: every record before it is whole and on the disk.</summary>
    public long FlushedLength
    {
        get => _file.FlushedLength;
        private init => _file.FlushedLength = value;
    }

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
        _file.Buffer.GetSpan(1)[0] = (byte)'\n';
        _file.Buffer.Advance(1);
        return _file.RecordWrittenAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Flushed <em>and</em> fsync'd: a source may forget an item (a broker ack, a checkpoint) once this returns.</remarks>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _writer.DisposeAsync();
        }
        finally
        {
            await _file.DisposeAsync();
        }
    }
}
