using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Pipeline.Fetching;

/// <summary>Options of the <c>Pipeline:Http:CircuitBreaker</c> configuration section: a circuit breaker per host.</summary>
/// <remarks>
/// A failure is what would be retried (connect errors, timeouts, 408, 429, 5xx). While a host's
/// circuit is open its URLs fail at once with a reason naming the host, instead of spending their
/// whole budget on a host that is down; then one trial request decides whether it closes again.
/// </remarks>
public sealed class HttpCircuitBreakerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Http:CircuitBreaker";

    /// <summary>Gets or sets whether circuits are used.</summary>
    /// <value>The default value is <see cref="CircuitBreakerMode.Off"/>: a batch loses no URL to a host's short outage.</value>
    public CircuitBreakerMode Mode { get; set; } = PipelineDefaults.CircuitBreakerMode;

    /// <summary>Gets or sets the share of failed attempts, within <see cref="SamplingDuration"/>, that opens a host's circuit.</summary>
    /// <value>The default value is 0.5. Allowed: 0.01 to 1.</value>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = PipelineDefaults.CircuitFailureRatio;

    /// <summary>Gets or sets how many attempts a host must have had within <see cref="SamplingDuration"/> before its circuit can open.</summary>
    /// <value>The default value is 10. Allowed: 2 to 100000.</value>
    [Range(2, 100_000)]
    public int MinimumThroughput { get; set; } = PipelineDefaults.CircuitMinimumThroughput;

    /// <summary>Gets or sets the window over which <see cref="FailureRatio"/> is measured.</summary>
    /// <value>The default value is 30 seconds. Allowed: 0.5 seconds to 1 hour.</value>
    [TimeSpanRange("00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.Parse(PipelineDefaults.CircuitSamplingDuration, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets how long an open circuit stays open before a trial request.</summary>
    /// <value>The default value is 30 seconds. Allowed: 0.5 seconds to 1 hour.</value>
    [TimeSpanRange("00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.Parse(PipelineDefaults.CircuitBreakDuration, CultureInfo.InvariantCulture);
}
