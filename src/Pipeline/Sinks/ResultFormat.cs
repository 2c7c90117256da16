namespace Pipeline.Sinks;

/// <summary>The format of the results output, chosen by the output path (<see cref="ResultFiles.FormatOf"/>).</summary>
public enum ResultFormat
{
    /// <summary>One JSON object per line (<c>.jsonl</c>, <c>.ndjson</c>).</summary>
    JsonLines,

    /// <summary>RFC 4180 CSV with a header row (<c>.csv</c>).</summary>
    Csv,

    /// <summary>A SQLite database, table <c>results</c> (<c>.db</c>, <c>.sqlite</c>, <c>.sqlite3</c>).</summary>
    Sqlite,

    /// <summary>JSON lines on standard output (the path <c>-</c>); nothing to cut back, so the batch keeps no state.</summary>
    StandardOutput,
}
