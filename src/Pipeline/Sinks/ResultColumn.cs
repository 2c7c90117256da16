using Pipeline.Fetching;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>One column of the tabular outputs (CSV, SQLite): its name, kind and how a result gives its value.</summary>
/// <param name="Name">The column name, the same as the JSON record's field name.</param>
/// <param name="Kind">What it holds.</param>
/// <param name="Value">The value of a result: <see langword="null"/>, a <see cref="string"/>, <see cref="long"/> or <see cref="double"/>; the redactor makes URLs and error texts safe for an output.</param>
public sealed record ResultColumn(string Name, ResultColumnKind Kind, Func<FetchResult, UrlRedactor, object?> Value);
