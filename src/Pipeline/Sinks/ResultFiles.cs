using Microsoft.Extensions.Logging;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>Picks the results output by its path: <c>.jsonl</c>, <c>.csv</c>, <c>.db</c>, or <c>-</c> for standard output.</summary>
public static class ResultFiles
{
    /// <summary>The output path that means standard output.</summary>
    public const string StandardOutputPath = "-";

    /// <summary>Gets the extensions each format is chosen by, for messages and help.</summary>
    public const string KnownExtensions = ".jsonl (or .ndjson), .csv, .db (or .sqlite, .sqlite3), or - for standard output";

    /// <summary>Tells the format an output path asks for.</summary>
    /// <param name="path">The output path.</param>
    /// <returns>The format, or <see langword="null"/> for an extension no format has.</returns>
    public static ResultFormat? FormatOf(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == StandardOutputPath)
        {
            return ResultFormat.StandardOutput;
        }

        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => ResultFormat.JsonLines,
            ".csv" => ResultFormat.Csv,
            ".db" or ".sqlite" or ".sqlite3" => ResultFormat.Sqlite,
            _ => null,
        };
    }

    /// <summary>Gets a value indicating whether a batch writing to this path can keep state and resume (every format but standard output).</summary>
    /// <param name="path">The output path.</param>
    /// <returns><see langword="true"/> when the output can be cut back to a checkpoint.</returns>
    public static bool CanResume(string path) => FormatOf(path) is not ResultFormat.StandardOutput;

    /// <summary>Opens the output of a batch in the format its path asks for, cut back to a checkpoint's position.</summary>
    /// <param name="path">The output path.</param>
    /// <param name="resumeAt">The position the checkpoint recorded (bytes, or rows for a database), or <see langword="null"/> for a new batch (the output starts empty).</param>
    /// <param name="logger">Where to say what was cut off.</param>
    /// <param name="redactor">How URLs and error texts are written.</param>
    /// <returns>The sink.</returns>
    /// <exception cref="ArgumentException">The path's extension names no format (start-up validation reports it first).</exception>
    public static IResultFile OpenForBatch(string path, long? resumeAt, ILogger? logger = null, UrlRedactor? redactor = null) => FormatOf(path) switch
    {
        ResultFormat.JsonLines => JsonLinesResultSink.OpenForBatch(path, resumeAt, logger, redactor),
        ResultFormat.Csv => CsvResultSink.OpenForBatch(path, resumeAt, logger, redactor),
        ResultFormat.Sqlite => SqliteResultSink.OpenForBatch(path, resumeAt, logger, redactor),
        ResultFormat.StandardOutput => new JsonLinesResultSink(Console.OpenStandardOutput(), redactor),
        _ => throw new ArgumentException($"'{path}': unknown results format; use {KnownExtensions}.", nameof(path)),
    };
}
