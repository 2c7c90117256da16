using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.Fetching;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>Writes results as CSV (RFC 4180): a header row, then one row per result with the columns of <see cref="ResultColumns"/>.</summary>
/// <remarks>
/// Fields holding a comma, a quote or a line break are quoted, quotes doubled; rows end in CRLF; an
/// empty field is a missing value (no status, no error). Durability and resume are the JSON-lines
/// file's: flushed and fsync'd before a checkpoint, cut back to the checkpointed length on resume.
/// </remarks>
public sealed class CsvResultSink : IResultFile
{
    private readonly ChunkedResultStream _file;
    private readonly UrlRedactor _redactor;
    private readonly StringBuilder _row = new(512);

    /// <summary>Initializes a new instance of the <see cref="CsvResultSink"/> class writing to a stream.</summary>
    /// <param name="stream">The stream; the sink owns and disposes it.</param>
    /// <param name="redactor">How URLs and error texts are written; <see cref="UrlRedactor.Default"/> when <see langword="null"/>.</param>
    /// <param name="header">Whether to start with the header row (a new or empty file).</param>
    public CsvResultSink(Stream stream, UrlRedactor? redactor = null, bool header = true)
    {
        _file = new ChunkedResultStream(stream);
        _redactor = redactor ?? UrlRedactor.Default;
        if (header)
        {
            for (var i = 0; i < ResultColumns.All.Count; i++)
            {
                AppendField(_row, i == 0 ? null : ",", ResultColumns.All[i].Name);
            }

            EndRow();
        }
    }

    /// <inheritdoc />
    public long FlushedLength
    {
        get => _file.FlushedLength;
        private init => _file.FlushedLength = value;
    }

    /// <summary>Opens the CSV file of a batch: exclusively, cut back to the checkpoint, with a header when it starts empty.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="resumeAt">The length the checkpoint recorded, or <see langword="null"/> for a new batch.</param>
    /// <param name="logger">Where to say what was cut off.</param>
    /// <param name="redactor">How URLs and error texts are written.</param>
    /// <returns>The sink.</returns>
    public static CsvResultSink OpenForBatch(string path, long? resumeAt, ILogger? logger = null, UrlRedactor? redactor = null)
    {
        var stream = ResultFileStream.OpenForBatch(path, resumeAt, logger);
        return new CsvResultSink(stream, redactor, header: stream.Length == 0) { FlushedLength = stream.Length };
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(FetchResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var columns = ResultColumns.All;
        for (var i = 0; i < columns.Count; i++)
        {
            AppendField(_row, i == 0 ? null : ",", columns[i].Value(result, _redactor));
        }

        EndRow();
        return _file.RecordWrittenAsync(cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>Flushed <em>and</em> fsync'd, like the JSON-lines file: a checkpoint may count what was written once this returns.</remarks>
    public ValueTask FlushAsync(CancellationToken cancellationToken) => _file.FlushAsync(cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _file.DisposeAsync();

    /// <summary>Appends one field, quoted when RFC 4180 requires it.</summary>
    /// <param name="row">The row being built.</param>
    /// <param name="separator">The separator before the field, or <see langword="null"/> for the first.</param>
    /// <param name="value">The value: <see langword="null"/> (empty), text, or a number.</param>
    internal static void AppendField(StringBuilder row, string? separator, object? value)
    {
        row.Append(separator);
        switch (value)
        {
            case null:
                return;
            case string text when text.AsSpan().IndexOfAny(",\"\r\n") >= 0:
                row.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
                return;
            case string text:
                row.Append(text);
                return;
            case IFormattable number:
                row.Append(number.ToString(null, CultureInfo.InvariantCulture));
                return;
            default:
                row.Append(value);
                return;
        }
    }

    private void EndRow()
    {
        _row.Append("\r\n");
        foreach (var chunk in _row.GetChunks())
        {
            var span = _file.Buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length));
            _file.Buffer.Advance(Encoding.UTF8.GetBytes(chunk.Span, span));
        }

        _row.Clear();
    }
}
