namespace Pipeline.Concurrency;

/// <summary>What the adaptive limit did during a run.</summary>
public sealed class AdaptiveSummary
{
    /// <summary>Gets the lowest number of active consumers allowed during the run.</summary>
    public required int Min { get; init; }

    /// <summary>Gets the highest number of active consumers allowed during the run.</summary>
    public required int Max { get; init; }

    /// <summary>Gets the limit when the run ended.</summary>
    public required int Final { get; init; }

    /// <summary>Gets the mean limit over the run, each value weighted by how long it held.</summary>
    public required double Mean { get; init; }

    /// <summary>Gets how often the limit changed.</summary>
    public required int Changes { get; init; }

    /// <summary>Gets the configured bounds, as <c>(min, max)</c>.</summary>
    public required (int Min, int Max) Bounds { get; init; }

    /// <summary>Gets each host's limit when the run ended, highest first.</summary>
    public required IReadOnlyList<HostLimit> Hosts { get; init; }

    /// <summary>Gets the changes of the limit (the first <see cref="LimitHistory.MaxPoints"/>), starting with the initial value at 0.</summary>
    public required IReadOnlyList<LimitPoint> Points { get; init; }
}
