namespace Pipeline.RabbitMq;

/// <summary>One batch in the collector's ledger.</summary>
internal sealed class LedgerBatch
{
    /// <summary>Gets or sets the size its producer announced, or null before the announcement.</summary>
    public long? Expected { get; set; }

    /// <summary>Gets or sets the distinct results written for it.</summary>
    public long Received { get; set; }

    /// <summary>Gets the lines with a result, per source.</summary>
    public Dictionary<string, LineBitmap> Sources { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets the ids of results whose message id names no source line (not sent by this project's producer).</summary>
    public HashSet<string> Others { get; } = new(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether every announced result was written.</summary>
    public bool Complete => Expected is { } expected && Received >= expected;
}
