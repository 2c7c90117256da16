using System.Text.Json;

namespace Pipeline.Processing;

/// <summary>
/// The outputs of the processing stage for one result, written to its record as one nested object,
/// <c>"process": {"durationMs": …, "title": …, "links": …, "sha256": …, "saved": …, "truncated": true, "error": …}</c>.
/// </summary>
/// <remarks>Keys keep the order they were first set in; setting a key again replaces its value.</remarks>
public sealed class ProcessOutput
{
    private readonly List<KeyValuePair<string, object>> _values = [];

    /// <summary>Gets how long processing took (every step together).</summary>
    public TimeSpan Duration { get; internal set; }

    /// <summary>Gets a value indicating whether the body was cut at <c>Pipeline:Process:MaxBodyBytes</c> before processing.</summary>
    public bool Truncated { get; internal set; }

    /// <summary>Gets why processing failed for this result (the failing steps, each with its error), or <see langword="null"/>.</summary>
    public string? Error { get; private set; }

    /// <summary>Gets the outputs in the order they were set.</summary>
    public IReadOnlyList<KeyValuePair<string, object>> Values => _values;

    /// <summary>Sets a text output.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Set(string key, string? value) => Put(key, (object?)value ?? DBNull.Value);

    /// <summary>Sets a number output.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Set(string key, long value) => Put(key, value);

    /// <summary>Sets a true/false output.</summary>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    public void Set(string key, bool value) => Put(key, value);

    /// <summary>Sets a list-of-text output.</summary>
    /// <param name="key">The key.</param>
    /// <param name="values">The values.</param>
    public void Set(string key, IReadOnlyList<string> values) => Put(key, values);

    /// <summary>Gets an output by key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The value (a <see cref="string"/>, <see cref="long"/>, <see cref="bool"/> or list of strings), or <see langword="null"/>.</returns>
    public object? this[string key] => _values.FirstOrDefault(p => p.Key == key).Value is var value && value is not DBNull ? value : null;

    internal void AddError(string step, Exception exception)
    {
        var text = exception is OperationCanceledException ? $"{step}: cancelled: run stopped" : $"{step}: {exception.GetType().Name}: {exception.Message}";
        Error = Error is null ? text : $"{Error}; {text}";
    }

    internal void AddError(string text) => Error = Error is null ? text : $"{Error}; {text}";

    /// <summary>Writes the <c>process</c> object's members (the caller writes the braces).</summary>
    internal void WriteMembers(Utf8JsonWriter writer, Telemetry.UrlRedactor? redactor)
    {
        writer.WriteNumber("durationMs"u8, Math.Round(Duration.TotalMilliseconds, 3));
        foreach (var (key, value) in _values)
        {
            switch (value)
            {
                case string text: writer.WriteString(key, text); break;
                case long number: writer.WriteNumber(key, number); break;
                case bool flag: writer.WriteBoolean(key, flag); break;
                case IReadOnlyList<string> list:
                    writer.WriteStartArray(key);
                    foreach (var item in list)
                    {
                        writer.WriteStringValue(item);
                    }

                    writer.WriteEndArray();
                    break;
                default: writer.WriteNull(key); break;
            }
        }

        if (Truncated)
        {
            writer.WriteBoolean("truncated"u8, true);
        }

        if (Error is not null)
        {
            writer.WriteString("error"u8, redactor is null ? Error : redactor.TextForResults(Error));
        }
    }

    private void Put(string key, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key is "durationMs" or "truncated" or "error")
        {
            throw new ArgumentException($"'{key}' is written by the processing stage itself.", nameof(key));
        }

        var index = _values.FindIndex(p => p.Key == key);
        if (index >= 0)
        {
            _values[index] = KeyValuePair.Create(key, value);
        }
        else
        {
            _values.Add(KeyValuePair.Create(key, value));
        }
    }
}
