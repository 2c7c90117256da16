using System.Globalization;

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
    ];

    // As the JSON record prints them: ISO 8601 with the offset, milliseconds to three decimals.
    private static string Timestamp(DateTimeOffset value) => value.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    private static double Milliseconds(TimeSpan value) => Math.Round(value.TotalMilliseconds, 3);
}
