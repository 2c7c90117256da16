using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>
/// The one column list of the tabular outputs: the CSV header and row, and the SQLite table, come from
/// it, so a field added to the record is one line here. Names and order follow the JSON record
/// (<see cref="ResultRecord"/>).
/// </summary>
/// <remarks>A nested object (processors' output) is a <see cref="ResultColumnKind.Json"/> column holding its JSON text.</remarks>
public static class ResultColumns
{
    /// <summary>Gets the columns, in order.</summary>
    public static IReadOnlyList<ResultColumn> All { get; } =
    [
        new("url", ResultColumnKind.Text, static (r, redactor) => redactor.ForResults(r.Url)),
        new("source", ResultColumnKind.Text, static (r, _) => r.Source),
        new("line", ResultColumnKind.WholeNumber, static (r, _) => r.Line),
        new("mode", ResultColumnKind.Text, static (r, _) => WireNames.Mode(r.Mode)),
        new("outcome", ResultColumnKind.Text, static (r, _) => WireNames.Outcome(r.Outcome)),
        new("status", ResultColumnKind.WholeNumber, static (r, _) => r.StatusCode is { } status ? (long)status : null),
        new("bytes", ResultColumnKind.WholeNumber, static (r, _) => r.Bytes),
        new("startedAt", ResultColumnKind.Text, static (r, _) => Timestamp(r.StartedAt)),
        new("durationMs", ResultColumnKind.Number, static (r, _) => Milliseconds(r.Duration)),
        new("queueWaitMs", ResultColumnKind.Number, static (r, _) => Milliseconds(r.QueueWait)),
        new("attempts", ResultColumnKind.WholeNumber, static (r, _) => (long)r.Attempts),
        new("consumer", ResultColumnKind.WholeNumber, static (r, _) => (long)r.ConsumerId),
        new("error", ResultColumnKind.Text, static (r, redactor) => redactor.TextForResults(r.Error)),
        new("errorType", ResultColumnKind.Text, static (r, _) => Fetching.ErrorTypes.Of(r)),
        new("finalUrl", ResultColumnKind.Text, static (r, redactor) => r.FinalUrl is { } finalUrl ? redactor.ForResults(finalUrl) : null),
        new("redirects", ResultColumnKind.WholeNumber, static (r, _) => (long)r.Redirects),
        new("contentType", ResultColumnKind.Text, static (r, _) => r.ContentType),
        new("contentLength", ResultColumnKind.WholeNumber, static (r, _) => r.ContentLength),
        new("process", ResultColumnKind.Json, static (r, redactor) => r.Process is { } process ? JsonText(process, redactor) : null),
    ];

    // The nested object exactly as the JSON record writes it, as text.
    private static string JsonText(Processing.ProcessOutput process, UrlRedactor redactor)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            process.WriteMembers(writer, redactor);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    // As the JSON record prints them: ISO 8601 with the offset, milliseconds to three decimals.
    private static string Timestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static double Milliseconds(TimeSpan value) => Math.Round(value.TotalMilliseconds, 3);
}
