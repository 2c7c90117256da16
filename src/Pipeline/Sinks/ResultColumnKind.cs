namespace Pipeline.Sinks;

/// <summary>What a column of the tabular outputs holds, which decides its SQLite type and how CSV prints it.</summary>
public enum ResultColumnKind
{
    /// <summary>Text (SQLite <c>TEXT</c>).</summary>
    Text,

    /// <summary>A whole number (SQLite <c>INTEGER</c>).</summary>
    WholeNumber,

    /// <summary>A number with a fraction (SQLite <c>REAL</c>).</summary>
    Number,

    /// <summary>A JSON value written as text (a nested object such as processors' output); SQLite's <c>json_extract</c> reads it.</summary>
    Json,
}
