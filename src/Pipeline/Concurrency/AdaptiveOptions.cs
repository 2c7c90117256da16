using System.ComponentModel.DataAnnotations;

namespace Pipeline.Concurrency;

/// <summary>Options of the <c>Pipeline:Adaptive</c> section: the bounds of adaptive concurrency.</summary>
/// <remarks>
/// <c>Pipeline:Concurrency: auto</c> (command line <c>--concurrency auto</c>) sets <see cref="Enabled"/>.
/// The number of active consumers then follows a limit learned during the run (see
/// <c>docs/adaptive-concurrency.md</c>), one limit per host, their sum bounded by <see cref="Min"/> and <see cref="Max"/>.
/// </remarks>
public sealed class AdaptiveOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Adaptive";

    /// <summary>The value of <c>Pipeline:Concurrency</c> (<c>--concurrency</c>) that turns adaptive concurrency on.</summary>
    public const string Auto = "auto";

    /// <summary>Gets or sets a value indicating whether <see cref="PipelineMode.Concurrent"/> runs adapt their number of consumers.</summary>
    /// <value>The default value is <see langword="false"/>: <see cref="PipelineOptions.Concurrency"/> consumers.</value>
    /// <remarks>Not allowed with <see cref="PipelineMode.Compare"/>: the ideal speedup of a run whose concurrency changes is undefined.</remarks>
    public bool Enabled { get; set; }

    /// <summary>Gets or sets the lowest number of active consumers, and of requests in flight to one host.</summary>
    /// <value>The default value is 1. Allowed: 1 to 10000.</value>
    [Range(1, PipelineDefaults.MaxConcurrency)]
    public int Min { get; set; } = AdaptiveDefaults.Min;

    /// <summary>Gets or sets the highest number of active consumers, and of requests in flight to one host.</summary>
    /// <value>The default value is 256. Allowed: 1 to 10000, and not below <see cref="Min"/>.</value>
    /// <remarks>Consumer loops are started up to this number; the ones beyond the limit wait without cost.</remarks>
    [Range(1, PipelineDefaults.MaxConcurrency)]
    public int Max { get; set; } = AdaptiveDefaults.Max;

    /// <summary>Gets or sets the shortest time the limit is judged on; a window also lasts at least two of the lowest latencies seen.</summary>
    /// <value>The default value is 100 milliseconds. Allowed: 10 milliseconds to 1 minute.</value>
    [TimeSpanRange("00:00:00.010", "00:01:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMilliseconds(AdaptiveDefaults.WindowMilliseconds);

    /// <summary>Gets or sets the ceiling of one host's limit: <c>Pipeline:Http:MaxConcurrencyPerHost</c> when set, 0 otherwise.</summary>
    internal int PerHostCeiling { get; set; }
}
