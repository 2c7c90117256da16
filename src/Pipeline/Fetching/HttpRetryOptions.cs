using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Pipeline.Fetching;

/// <summary>Options of the <c>Pipeline:Http:Retry</c> configuration section: how transient failures are retried.</summary>
/// <remarks>
/// Transient: connection errors, timeouts, 408, 429 and 5xx. Other 4xx answers, refused addresses
/// and oversized bodies are final at once. Delays grow exponentially from <see cref="BaseDelay"/>
/// with jitter, so clients that failed together do not retry together; a <c>Retry-After</c>
/// header replaces the computed delay.
/// </remarks>
public sealed class HttpRetryOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Http:Retry";

    /// <summary>Gets or sets how many times a URL is retried after its first attempt; 0 disables retries.</summary>
    /// <value>The default value is 3. Allowed: 0 to 100.</value>
    [Range(0, PipelineDefaults.MaxMaxRetries)]
    public int MaxRetries { get; set; } = PipelineDefaults.MaxRetries;

    /// <summary>Gets or sets the delay before the first retry; it doubles with each further retry.</summary>
    /// <value>The default value is 1 second. Allowed: 0 to 10 minutes.</value>
    [TimeSpanRange("00:00:00", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.Parse(PipelineDefaults.RetryBaseDelay, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets the longest computed back-off between two attempts.</summary>
    /// <value>The default value is 30 seconds. Allowed: 0 to 1 hour.</value>
    /// <remarks>A server's <c>Retry-After</c> is not capped by this, only by what is left of <see cref="HttpFetchOptions.TotalTimeout"/>.</remarks>
    [TimeSpanRange("00:00:00", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.Parse(PipelineDefaults.RetryMaxDelay, CultureInfo.InvariantCulture);
}
