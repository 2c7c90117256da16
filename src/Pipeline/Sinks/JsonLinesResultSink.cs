using System.Text.Json;
using Pipeline.Fetching;

namespace Pipeline.Sinks;

/// <summary>Writes one JSON object per line: easy to <c>tail -f</c>, <c>grep</c> and <c>jq</c>.</summary>
public sealed class JsonLinesResultSink : IResultSink, IAsyncDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();
    private readonly Stream _stream;
    private readonly Utf8JsonWriter _writer;

    /// <summary>Initializes a new instance of the <see cref="JsonLinesResultSink"/> class writing to a stream.</summary>
    /// <param name="stream">The stream; the sink owns and disposes it.</param>
    public JsonLinesResultSink(Stream stream)
    {
        _stream = stream;
        _writer = new Utf8JsonWriter(stream, new JsonWriterOptions { SkipValidation = true });
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
            BufferSize = 64 * 1024,
            Options = FileOptions.Asynchronous,
        }));
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        Write(_writer, result);
        _writer.Flush();
        _writer.Reset();
        return _stream.WriteAsync(NewLine, cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask FlushAsync(CancellationToken cancellationToken) => await _stream.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _stream.DisposeAsync();
    }

    /// <summary>Writes the record of one result; the field names are the results file's contract.</summary>
    internal static void Write(Utf8JsonWriter writer, FetchResult result)
    {
        writer.WriteStartObject();
        writer.WriteString("url"u8, result.Url);
        writer.WriteString("source"u8, result.Source);
        writer.WriteNumber("line"u8, result.Line);
        writer.WriteString("mode"u8, ModeName(result.Mode));
        writer.WriteString("outcome"u8, OutcomeName(result.Outcome));
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
        writer.WriteNumber("durationMs"u8, Math.Round(result.Duration.TotalMilliseconds, 3));
        writer.WriteNumber("queueWaitMs"u8, Math.Round(result.QueueWait.TotalMilliseconds, 3));
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

    private static string ModeName(PipelineMode mode) => mode switch
    {
        PipelineMode.Sequential => "sequential",
        PipelineMode.Concurrent => "concurrent",
        _ => "compare",
    };

    internal static string OutcomeName(FetchOutcome outcome) => outcome switch
    {
        FetchOutcome.Succeeded => "succeeded",
        FetchOutcome.HttpError => "http_error",
        FetchOutcome.Failed => "failed",
        FetchOutcome.Invalid => "invalid",
        FetchOutcome.Duplicate => "duplicate",
        FetchOutcome.Cancelled => "cancelled",
        _ => "pending",
    };
}
