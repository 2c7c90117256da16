using System.Globalization;
using System.Text.Json;
using Pipeline.Fetching;

namespace Pipeline.Sinks;

/// <summary>Reads back a record that <see cref="JsonLinesResultSink"/> wrote, for a collector that gathers results from other processes.</summary>
internal static class ResultRecord
{
    /// <summary>Parses one results record.</summary>
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
            var result = new FetchResult
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
                Error = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String ? error.GetString() : null,
            };
            result.Mode = root.TryGetProperty("mode", out var mode) && WireNames.TryParseMode(mode.GetString(), out var parsed) ? parsed : PipelineMode.Concurrent;
            result.QueueWait = TimeSpan.FromMilliseconds(root.TryGetProperty("queueWaitMs", out var wait) ? wait.GetDouble() : 0);
            result.ConsumerId = root.TryGetProperty("consumer", out var consumer) ? consumer.GetInt32() : 0;
            result.MessageId = root.TryGetProperty("messageId", out var id) ? id.GetString() : null;
            result.Worker = root.TryGetProperty("worker", out var worker) ? worker.GetString() : null;
            result.Redelivered = root.TryGetProperty("redelivered", out var redelivered) && redelivered.ValueKind == JsonValueKind.True;
            return result;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            throw new FormatException($"not a results record: {ex.Message}", ex);
        }
    }

    private static JsonElement Required(JsonElement root, string name)
        => root.TryGetProperty(name, out var value) ? value : throw new KeyNotFoundException($"no \"{name}\" field");

    private static FetchOutcome OutcomeOf(string? name) => WireNames.TryParseOutcome(name, out var outcome)
        ? outcome
        : throw new KeyNotFoundException(string.Create(CultureInfo.InvariantCulture, $"unknown outcome \"{name}\""));
}
