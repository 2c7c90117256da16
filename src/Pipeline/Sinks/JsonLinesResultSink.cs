using System.Buffers;
using System.Globalization;
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

    // Encoded once: these values repeat on every line.
    private static readonly JsonEncodedText[] Modes = [.. Enum.GetValues<PipelineMode>().Select(mode => JsonEncodedText.Encode(WireNames.Mode(mode)))];
    private static readonly JsonEncodedText[] Outcomes = [.. Enum.GetValues<FetchOutcome>().Select(outcome => JsonEncodedText.Encode(WireNames.Outcome(outcome)))];

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

        Write(_writer, result, _encodedSource);
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

    /// <summary>Writes the record of one result; the field names are the results file's contract.</summary>
    internal static void Write(Utf8JsonWriter writer, FetchResult result) => Write(writer, result, JsonEncodedText.Encode(result.Source));

    private static void Write(Utf8JsonWriter writer, FetchResult result, JsonEncodedText source)
    {
        writer.WriteStartObject();
        writer.WriteString("url"u8, result.Url);
        writer.WriteString("source"u8, source);
        writer.WriteNumber("line"u8, result.Line);
        writer.WriteString("mode"u8, Modes[(int)result.Mode]);
        writer.WriteString("outcome"u8, Outcomes[(int)result.Outcome]);
        if (result.StatusCode is { } status)
        {
            writer.WriteNumber("status"u8, status);
        }
        else
        {
            writer.WriteNull("status"u8);
        }

        writer.WriteNumber("bytes"u8, result.Bytes);
        writer.WriteString("startedAt"u8, result.StartedAt);
        WriteMilliseconds(writer, "durationMs"u8, result.Duration);
        WriteMilliseconds(writer, "queueWaitMs"u8, result.QueueWait);
        writer.WriteNumber("attempts"u8, result.Attempts);
        writer.WriteNumber("consumer"u8, result.ConsumerId);
        if (result.Error is { } error)
        {
            writer.WriteString("error"u8, error);
        }
        else
        {
            writer.WriteNull("error"u8);
        }

        // Only for URLs that came from a broker, so the in-process record stays as it was.
        if (result.MessageId is { } messageId)
        {
            writer.WriteString("messageId"u8, messageId);
            writer.WriteBoolean("redelivered"u8, result.Redelivered);
        }

        if (result.Worker is { } worker)
        {
            writer.WriteString("worker"u8, worker);
        }

        writer.WriteEndObject();
    }

    // The text of Math.Round(milliseconds, 3) as the writer prints a double ("201.5", "3", "0.042"),
    // made from whole microseconds: formatting doubles was the sink's largest single cost.
    private static void WriteMilliseconds(Utf8JsonWriter writer, ReadOnlySpan<byte> name, TimeSpan value)
    {
        var ticks = value.Ticks;
        if (ticks < 0)
        {
            writer.WriteNumber(name, Math.Round(value.TotalMilliseconds, 3));
            return;
        }

        // Half to even, as Math.Round does.
        var micros = Math.DivRem(ticks, TimeSpan.TicksPerMicrosecond, out var rest);
        if (rest > 5 || (rest == 5 && (micros & 1) == 1))
        {
            micros++;
        }

        var whole = Math.DivRem(micros, 1000, out var remainder);
        var fraction = (int)remainder;
        Span<byte> text = stackalloc byte[32];
        whole.TryFormat(text, out var length, default, CultureInfo.InvariantCulture);
        if (fraction > 0)
        {
            text[length++] = (byte)'.';
            var digits = 3;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            for (var i = digits - 1; i >= 0; i--)
            {
                text[length + i] = (byte)('0' + (fraction % 10));
                fraction /= 10;
            }

            length += digits;
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(text[..length], skipInputValidation: true);
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
