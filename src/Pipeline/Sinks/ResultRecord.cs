using System.Globalization;
using System.Text.Json;
using Pipeline.Fetching;

namespace Pipeline.Sinks;

/// <summary>
/// The results record: one JSON object per result, as the results file holds it, the broker's result
/// queue carries it and a collector reads it back. The field names and the wire names of modes and
/// outcomes (<see cref="WireNames"/>) are a contract with every script that reads the file.
/// </summary>
/// <remarks>
/// Fields, in order: <c>url</c>, <c>source</c>, <c>line</c>, <c>mode</c>, <c>outcome</c>, <c>status</c>,
/// <c>bytes</c>, <c>startedAt</c>, <c>durationMs</c>, <c>queueWaitMs</c>, <c>attempts</c>, <c>consumer</c>,
/// <c>error</c>, <c>errorType</c>, <c>finalUrl</c>, <c>redirects</c>, <c>contentType</c>, <c>contentLength</c>, <c>process</c> (only when the processing stage processed the result),
/// then whatever the result's <see cref="Sources.IWorkDelivery"/> adds. docs/results.md is the schema (every
/// field, its type and when it is present), and a test holds the two together: a field added here is
/// added there. Every field is a flat named value, so the CSV and SQLite outputs can take one column each.
/// </remarks>
public static class ResultRecord
{
    // Encoded once: these values repeat on every line.
    private static readonly JsonEncodedText[] Modes = [.. Enum.GetValues<PipelineMode>().Select(mode => JsonEncodedText.Encode(WireNames.Mode(mode)))];
    private static readonly JsonEncodedText[] Outcomes = [.. Enum.GetValues<FetchOutcome>().Select(outcome => JsonEncodedText.Encode(WireNames.Outcome(outcome)))];

    /// <summary>Writes the record of one result as one JSON object, the URL exactly as it went in (for a broker message, which must reproduce it).</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="result">The result.</param>
    public static void Write(Utf8JsonWriter writer, FetchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        Write(writer, result, JsonEncodedText.Encode(result.Source));
    }

    /// <summary>Writes the record with the source name encoded beforehand (it repeats on every line of a source).</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="result">The result.</param>
    /// <param name="source">The encoded source name.</param>
    /// <param name="redactor">For an output (the results file): how the URL and the error text are written; <see langword="null"/> writes them exactly.</param>
    internal static void Write(Utf8JsonWriter writer, FetchResult result, JsonEncodedText source, Telemetry.UrlRedactor? redactor = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("url"u8, redactor is null ? result.Url : redactor.ForResults(result.Url));
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
            writer.WriteString("error"u8, redactor is null ? error : redactor.TextForResults(error));
        }
        else
        {
            writer.WriteNull("error"u8);
        }

        WriteStringOrNull(writer, "errorType"u8, ErrorTypes.Of(result));
        WriteStringOrNull(writer, "finalUrl"u8, result.FinalUrl is not { } finalUrl ? null : redactor is null ? finalUrl : redactor.ForResults(finalUrl));
        writer.WriteNumber("redirects"u8, result.Redirects);
        WriteStringOrNull(writer, "contentType"u8, result.ContentType);
        if (result.ContentLength is { } contentLength)
        {
            writer.WriteNumber("contentLength"u8, contentLength);
        }
        else
        {
            writer.WriteNull("contentLength"u8);
        }

        // The processing stage's outputs, all under one key so that the record's own fields stay flat and fixed.
        if (result.Process is { } process)
        {
            writer.WriteStartObject("process"u8);
            process.WriteMembers(writer, redactor);
            writer.WriteEndObject();
        }

        // Only for items whose source needs fields of its own (a broker's message id), so the
        // in-process record stays as it was.
        result.Delivery?.WriteResultFields(writer);

        writer.WriteEndObject();
    }

    private static void WriteStringOrNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
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

    /// <summary>Parses one results record; fields a delivery added are not read (the source that added them reads them).</summary>
    /// <param name="json">The record, UTF-8.</param>
    /// <returns>The result it describes.</returns>
    /// <exception cref="FormatException">The record lacks a required field or is not JSON.</exception>
    public static FetchResult Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return new FetchResult
            {
                Url = Required(root, "url").GetString()!,
                Source = Required(root, "source").GetString()!,
                Line = Required(root, "line").GetInt64(),
                Outcome = OutcomeOf(Required(root, "outcome").GetString()),
                StatusCode = root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number ? status.GetInt32() : null,
                Bytes = root.TryGetProperty("bytes", out var bytes) ? bytes.GetInt64() : 0,
                StartedAt = root.TryGetProperty("startedAt", out var startedAt) ? startedAt.GetDateTimeOffset() : default,
                Duration = TimeSpan.FromMilliseconds(root.TryGetProperty("durationMs", out var duration) ? duration.GetDouble() : 0),
                Attempts = root.TryGetProperty("attempts", out var attempts) ? attempts.GetInt32() : 0,
                Error = StringOrNull(root, "error"),
                ErrorType = StringOrNull(root, "errorType"),
                FinalUrl = StringOrNull(root, "finalUrl"),
                Redirects = root.TryGetProperty("redirects", out var redirects) && redirects.ValueKind == JsonValueKind.Number ? redirects.GetInt32() : 0,
                ContentType = StringOrNull(root, "contentType"),
                ContentLength = root.TryGetProperty("contentLength", out var contentLength) && contentLength.ValueKind == JsonValueKind.Number ? contentLength.GetInt64() : null,
                Mode = root.TryGetProperty("mode", out var mode) && WireNames.TryParseMode(mode.GetString(), out var parsed) ? parsed : PipelineMode.Concurrent,
                QueueWait = TimeSpan.FromMilliseconds(root.TryGetProperty("queueWaitMs", out var wait) ? wait.GetDouble() : 0),
                ConsumerId = root.TryGetProperty("consumer", out var consumer) ? consumer.GetInt32() : 0,
            };
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"not a results record: {ex.Message}", ex);
        }
    }

    private static string? StringOrNull(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static JsonElement Required(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) ? value : throw new KeyNotFoundException($"no \"{name}\" field");

    private static FetchOutcome OutcomeOf(string? name) => WireNames.TryParseOutcome(name, out var outcome)
        ? outcome
        : throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture, $"unknown outcome \"{name}\""));
}
