using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Pipeline.Fetching;

/// <summary>Options of the <c>Pipeline:Http</c> configuration section.</summary>
/// <remarks>
/// The connection settings (<see cref="ConnectTimeout"/>, <see cref="MaxRedirects"/>,
/// <see cref="PooledConnectionLifetime"/> and the address rules) configure the one
/// <see cref="SocketsHttpHandler"/> the pipeline owns, so they are read once when it is created.
/// </remarks>
public sealed class HttpFetchOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Http";

    /// <summary>Gets or sets how long one attempt may take, headers and body together.</summary>
    /// <value>The default value is 30 seconds. Allowed: 1 millisecond to 1 hour.</value>
    /// <remarks>A timed-out attempt is transient: it is retried while <see cref="HttpRetryOptions"/> and <see cref="TotalTimeout"/> allow.</remarks>
    [TimeSpanRange("00:00:00.001", "01:00:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.Parse(PipelineDefaults.RequestTimeout, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets how long an attempt waits for the response headers once the request is sent.</summary>
    /// <value>The default value is 10 seconds. Allowed: 1 millisecond to 1 hour.</value>
    /// <remarks>
    /// Catches servers that accept a connection and never answer with a reason of its own
    /// (<c>no response headers within …</c>) well before <see cref="RequestTimeout"/>, which also has
    /// to leave room for a large body.
    /// </remarks>
    [TimeSpanRange("00:00:00.001", "01:00:00")]
    public TimeSpan HeadersTimeout { get; set; } = TimeSpan.Parse(PipelineDefaults.HeadersTimeout, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets the budget of one URL: every attempt, every wait for a host permit and every back-off together.</summary>
    /// <value>The default value is 2 minutes. Allowed: 1 millisecond to 1 day.</value>
    /// <remarks>A <c>Retry-After</c> longer than what is left of the budget ends the URL at once instead of waiting to fail.</remarks>
    [TimeSpanRange("00:00:00.001", "1.00:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.Parse(PipelineDefaults.TotalTimeout, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets how long establishing one connection may take.</summary>
    /// <value>The default value is 10 seconds. Allowed: 1 millisecond to 10 minutes.</value>
    [TimeSpanRange("00:00:00.001", "00:10:00")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.Parse(PipelineDefaults.ConnectTimeout, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets how long a pooled connection is reused before it is replaced.</summary>
    /// <value>The default value is 2 minutes. Allowed: 1 second to 1 day.</value>
    /// <remarks>
    /// Recycling connections lets DNS changes take effect in a long-running service without
    /// rotating the whole handler, which would drop every warm connection at once.
    /// </remarks>
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan PooledConnectionLifetime { get; set; } = TimeSpan.Parse(PipelineDefaults.PooledConnectionLifetime, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets the most body bytes read for one URL, counted after content decoding.</summary>
    /// <value>The default value is 10485760 (10 MiB). Allowed: 1 to 1099511627776 (1 TiB).</value>
    /// <remarks>
    /// Counted on the decoded stream, so a small gzip body that expands past the limit is stopped
    /// too, and a body without <c>Content-Length</c> is cut off as soon as it crosses the limit.
    /// </remarks>
    [Range(1d, 1099511627776d)]
    public long MaxResponseBytes { get; set; } = PipelineDefaults.MaxResponseBytes;

    /// <summary>Gets or sets how many redirects are followed; 0 returns the redirect itself as the answer.</summary>
    /// <value>The default value is 5. Allowed: 0 to 50.</value>
    /// <remarks>A chain longer than this (a redirect loop, typically) fails, naming the last redirect.</remarks>
    [Range(0, PipelineDefaults.MaxMaxRedirects)]
    public int MaxRedirects { get; set; } = PipelineDefaults.MaxRedirects;

    /// <summary>Gets or sets how many requests may be in flight to one host at once; 0 means no limit.</summary>
    /// <value>The default value is 0 (no limit). Allowed: 0 to 10000.</value>
    /// <remarks>
    /// A consumer that would exceed the limit waits for a permit (cancellably, counted against
    /// <see cref="TotalTimeout"/>), so a slow host holds at most this many consumers; set it below
    /// <c>Pipeline:Concurrency</c> when one host must not take them all.
    /// </remarks>
    [Range(0, PipelineDefaults.MaxConcurrency)]
    public int MaxConcurrencyPerHost { get; set; }

    /// <summary>Gets or sets how many requests one host receives per <see cref="RateLimitPeriod"/>; 0 means no limit.</summary>
    /// <value>The default value is 0 (no limit). Allowed: 0 to 1000000.</value>
    /// <remarks>Retries count: every attempt takes a token. Up to this many requests may go out at once after an idle period.</remarks>
    [Range(0, PipelineDefaults.MaxRateLimitPerHost)]
    public int RateLimitPerHost { get; set; }

    /// <summary>Gets or sets the period of <see cref="RateLimitPerHost"/>.</summary>
    /// <value>The default value is 1 second. Allowed: 1 millisecond to 1 day.</value>
    [TimeSpanRange("00:00:00.001", "1.00:00:00")]
    public TimeSpan RateLimitPeriod { get; set; } = TimeSpan.Parse(PipelineDefaults.RateLimitPeriod, CultureInfo.InvariantCulture);

    /// <summary>Gets or sets whether loopback addresses (127.0.0.0/8, ::1) may be connected to.</summary>
    /// <value>The default value is <see cref="AddressAccess.Allow"/>: the demo origin runs on loopback.</value>
    public AddressAccess LoopbackAddresses { get; set; } = PipelineDefaults.LoopbackAddresses;

    /// <summary>Gets or sets whether private addresses (10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, fc00::/7) may be connected to.</summary>
    /// <value>The default value is <see cref="AddressAccess.Allow"/>.</value>
    public AddressAccess PrivateAddresses { get; set; } = PipelineDefaults.PrivateAddresses;

    /// <summary>Gets or sets whether link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, 100.100.100.200, fd00:ec2::254) may be connected to.</summary>
    /// <value>The default value is <see cref="AddressAccess.Refuse"/>.</value>
    /// <remarks>These are where cloud instance metadata (and its credentials) live; a URL list should never reach them.</remarks>
    public AddressAccess LinkLocalAddresses { get; set; } = PipelineDefaults.LinkLocalAddresses;

    /// <summary>Gets or sets the <c>User-Agent</c> header sent with every request.</summary>
    /// <value>The default value is <c>Pipeline/1.0</c> with a project link.</value>
    [Required(AllowEmptyStrings = false)]
    public string UserAgent { get; set; } = PipelineDefaults.UserAgent;
}
