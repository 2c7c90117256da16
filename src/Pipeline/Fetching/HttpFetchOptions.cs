using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace Pipeline.Fetching;

/// <summary>Options of the <c>Pipeline:Http</c> configuration section.</summary>
/// <remarks>
/// The connection settings (<see cref="ConnectTimeout"/>, <see cref="PooledConnectionLifetime"/>
/// and the address rules) configure the one <see cref="SocketsHttpHandler"/> the pipeline owns, so
/// they are read once when it is created. The request settings (timeouts, size and redirect limits,
/// method, headers, accepted statuses) are read per URL.
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
    /// <remarks>
    /// The fetcher follows redirects itself, so the result counts them and names the final URL. A redirect back
    /// to a URL already requested in the chain fails at once as <c>redirect_loop</c>; a chain longer than this
    /// fails as <c>too_many_redirects</c>, naming the last redirect.
    /// </remarks>
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

    /// <summary>Gets or sets whether link-local addresses (169.254.0.0/16, fe80::/10) may be connected to.</summary>
    /// <value>The default value is <see cref="AddressAccess.Refuse"/>.</value>
    /// <remarks>Cloud metadata endpoints inside these ranges follow <see cref="MetadataAddresses"/>, not this setting.</remarks>
    public AddressAccess LinkLocalAddresses { get; set; } = PipelineDefaults.LinkLocalAddresses;

    /// <summary>
    /// Gets or sets whether cloud metadata and control-plane endpoints may be connected to: 169.254.169.254 (AWS,
    /// Google Cloud, Azure, Oracle Cloud, DigitalOcean), 169.254.170.2 (AWS ECS), fd00:ec2::254 (AWS),
    /// fd20:ce::254 (Google Cloud), 168.63.129.16 (Azure WireServer), 100.100.100.200 (Alibaba Cloud), 192.0.0.192 (Oracle Cloud classic).
    /// </summary>
    /// <value>The default value is <see cref="AddressAccess.Refuse"/>.</value>
    /// <remarks>These hand out the credentials of the machine the fetcher runs on; a URL list should never reach them.</remarks>
    public AddressAccess MetadataAddresses { get; set; } = PipelineDefaults.RefusedByDefault;

    /// <summary>Gets or sets whether the shared address space 100.64.0.0/10 (carrier-grade NAT) may be connected to.</summary>
    /// <value>The default value is <see cref="AddressAccess.Refuse"/>.</value>
    public AddressAccess SharedAddresses { get; set; } = PipelineDefaults.RefusedByDefault;

    /// <summary>Gets or sets whether multicast addresses (224.0.0.0/4, ff00::/8) may be connected to.</summary>
    /// <value>The default value is <see cref="AddressAccess.Refuse"/>.</value>
    public AddressAccess MulticastAddresses { get; set; } = PipelineDefaults.RefusedByDefault;

    /// <summary>Gets or sets whether documentation addresses (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32, 3fff::/20) may be connected to.</summary>
    /// <value>The default value is <see cref="AddressAccess.Refuse"/>.</value>
    public AddressAccess DocumentationAddresses { get; set; } = PipelineDefaults.RefusedByDefault;

    /// <summary>Gets or sets whether benchmarking addresses (198.18.0.0/15, 2001:2::/48) may be connected to.</summary>
    /// <value>The default value is <see cref="AddressAccess.Refuse"/>.</value>
    public AddressAccess BenchmarkingAddresses { get; set; } = PipelineDefaults.RefusedByDefault;

    /// <summary>Gets or sets whether unspecified addresses (0.0.0.0/8, ::) may be connected to.</summary>
    /// <value>The default value is <see cref="AddressAccess.Refuse"/>.</value>
    /// <remarks>On Linux 0.0.0.0 reaches the local host behind the loopback rule's back.</remarks>
    public AddressAccess UnspecifiedAddresses { get; set; } = PipelineDefaults.RefusedByDefault;

    /// <summary>
    /// Gets or sets whether the other special-purpose addresses that are not globally reachable may be connected to:
    /// reserved 240.0.0.0/4, broadcast, IETF protocol assignments, discard-only, translation prefixes, deprecated
    /// blocks (site-local fec0::/10, IPv4-compatible ::/96, 6to4 relay anycast) and IPv6 outside 2000::/3.
    /// </summary>
    /// <value>The default value is <see cref="AddressAccess.Refuse"/>.</value>
    public AddressAccess ReservedAddresses { get; set; } = PipelineDefaults.RefusedByDefault;

    /// <summary>Gets or sets the method every URL is fetched with.</summary>
    /// <value>The default value is <see cref="RequestMethod.Get"/>.</value>
    /// <remarks><see cref="RequestMethod.Head"/> reads no body: a link check that costs the servers nothing but the headers.</remarks>
    public RequestMethod Method { get; set; } = PipelineDefaults.Method;

    /// <summary>Gets the extra headers sent with every request, redirect hops included: header name to value.</summary>
    /// <value>The default value is empty.</value>
    /// <remarks>
    /// Values are never logged. An <c>Authorization</c> or <c>Cookie</c> here is not sent after a redirect to
    /// another host, as HttpClient does for its own credentials; put credentials in <see cref="HostHeaders"/>,
    /// which go only to their host. Headers the handler owns (<c>Host</c>, <c>Content-Length</c>,
    /// <c>Connection</c>, <c>Transfer-Encoding</c> …) and <c>User-Agent</c> (see <see cref="UserAgent"/>) are refused.
    /// </remarks>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets the headers sent only to one host: host name (without port, as in the URL) to header name to value.</summary>
    /// <value>The default value is empty.</value>
    /// <remarks>
    /// Configured as <c>Pipeline:Http:HostHeaders:api.example.com:Authorization</c>. Matched on the host of each
    /// request, redirect hops included, so a redirect to another host does not carry them. A header named in
    /// both places takes the host's value. Values are never logged.
    /// </remarks>
    public Dictionary<string, Dictionary<string, string>> HostHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Gets or sets the statuses that count as success: codes and inclusive ranges, such as <c>200..299,403</c>.</summary>
    /// <value>The default value is <c>100..399</c> (every 1xx, 2xx and 3xx answer).</value>
    /// <remarks>
    /// Judged on the final response, after redirects. An accepted status is <c>succeeded</c> and never retried
    /// (an accepted 503 is not retried); any other is <c>http_error</c>, retried when transient (408, 429, 5xx).
    /// </remarks>
    public string AcceptStatuses { get; set; } = PipelineDefaults.AcceptStatuses;

    /// <summary>Gets or sets the <c>User-Agent</c> header sent with every request.</summary>
    /// <value>The default value is <c>Pipeline/1.0</c> with a project link.</value>
    [Required(AllowEmptyStrings = false)]
    public string UserAgent { get; set; } = PipelineDefaults.UserAgent;
}
