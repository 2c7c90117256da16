using System.Collections.Frozen;

namespace Pipeline.Fetching;

/// <summary>
/// What every request of one settings generation looks like: method, extra headers (global and per
/// host) and the statuses accepted as success, read from <see cref="HttpFetchOptions"/> once and kept
/// until the options change.
/// </summary>
internal sealed class RequestProfile
{
    // Set by HttpClient or the handler itself: a second value would corrupt the request, bypass the
    // per-host rules or duplicate an option of ours.
    private static readonly FrozenSet<string> Owned = FrozenSet.Create(
        StringComparer.OrdinalIgnoreCase,
        "Host", "Content-Length", "Transfer-Encoding", "Connection", "Keep-Alive", "Proxy-Connection", "Upgrade", "TE", "Trailer", "Expect", "User-Agent");

    // Not carried to another host by a redirect, as HttpClient drops its own Authorization there.
    private static readonly FrozenSet<string> Credentials = FrozenSet.Create(StringComparer.OrdinalIgnoreCase, "Authorization", "Cookie", "Proxy-Authorization");

    private readonly KeyValuePair<string, string>[] _headers;
    private readonly FrozenDictionary<string, KeyValuePair<string, string>[]> _hostHeaders;

    /// <summary>Initializes a new instance of the <see cref="RequestProfile"/> class from valid options.</summary>
    /// <param name="options">The options, validated at start-up.</param>
    public RequestProfile(HttpFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        Method = options.Method == RequestMethod.Head ? HttpMethod.Head : HttpMethod.Get;
        _ = StatusSet.TryParse(options.AcceptStatuses, out var accept, out _);
        Accept = accept;
        _headers = [.. options.Headers];
        _hostHeaders = options.HostHeaders.ToFrozenDictionary(
            host => host.Key,
            host => host.Value.ToArray(),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the options the profile was made from.</summary>
    public HttpFetchOptions Options { get; }

    /// <summary>Gets the request method.</summary>
    public HttpMethod Method { get; }

    /// <summary>Gets a value indicating whether a response body is read (not for <c>HEAD</c>).</summary>
    public bool ReadsBody => Method != HttpMethod.Head;

    /// <summary>Gets the statuses that count as success.</summary>
    public StatusSet Accept { get; }

    /// <summary>Makes the request for one hop of a URL.</summary>
    /// <param name="target">The URL of this hop.</param>
    /// <param name="originalHost">The host of the URL as the input gave it.</param>
    /// <returns>The request, with the headers that belong to its host.</returns>
    public HttpRequestMessage CreateRequest(Uri target, string originalHost)
    {
        var request = new HttpRequestMessage(Method, target);
        if (_headers.Length == 0 && _hostHeaders.Count == 0)
        {
            return request;
        }

        var host = target.IdnHost;
        var own = _hostHeaders.GetValueOrDefault(host) ?? [];
        var elsewhere = !host.Equals(originalHost, StringComparison.OrdinalIgnoreCase);
        foreach (var (name, value) in _headers)
        {
            if ((elsewhere && Credentials.Contains(name)) || Array.Exists(own, header => header.Key.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            request.Headers.TryAddWithoutValidation(name, value);
        }

        foreach (var (name, value) in own)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return request;
    }

    /// <summary>Lists what is wrong with the request options, one line per problem naming its key; values of headers are never shown.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The problems; empty when the options are valid.</returns>
    public static List<string> Problems(HttpFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        const string Section = HttpFetchOptions.SectionName;
        var problems = new List<string>();
        if (!StatusSet.TryParse(options.AcceptStatuses, out _, out var problem))
        {
            problems.Add($"{Section}:{nameof(HttpFetchOptions.AcceptStatuses)}: '{options.AcceptStatuses}' is not valid: {problem}. Write status codes ({StatusSet.Min}-{StatusSet.Max}) and inclusive ranges separated by commas, such as 200..299,403.");
        }

        if (!Enum.IsDefined(options.Method))
        {
            problems.Add($"{Section}:{nameof(HttpFetchOptions.Method)}: '{options.Method}' is not valid. Allowed values: GET, HEAD.");
        }

        CheckHeaders($"{Section}:{nameof(HttpFetchOptions.Headers)}", options.Headers, problems);
        foreach (var (host, headers) in options.HostHeaders)
        {
            var key = $"{Section}:{nameof(HttpFetchOptions.HostHeaders)}:{host}";
            if (Uri.CheckHostName(host) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
            {
                problems.Add($"{key}: '{host}' is not a host name (write the host as in the URL, without scheme or port).");
            }

            CheckHeaders(key, headers, problems);
        }

        return problems;
    }

    private static void CheckHeaders(string section, Dictionary<string, string> headers, List<string> problems)
    {
        using var probe = new HttpRequestMessage();
        foreach (var (name, value) in headers)
        {
            var key = $"{section}:{name}";
            if (Owned.Contains(name))
            {
                problems.Add(name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase)
                    ? $"{key}: set the User-Agent with {HttpFetchOptions.SectionName}:{nameof(HttpFetchOptions.UserAgent)}."
                    : $"{key}: '{name}' is set by the HTTP handler itself and cannot be configured.");
            }
            else if (!probe.Headers.TryAddWithoutValidation(name, "x"))
            {
                // A malformed name, or a content header (Content-Type), which a GET or HEAD does not carry.
                problems.Add($"{key}: '{name}' is not a request header name.");
            }
            else if (value is null || value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
            {
                // The value is a secret as far as we know: say what is wrong, never what it is.
                problems.Add($"{key}: the value is missing or holds a line break or NUL (values are not shown).");
            }
        }
    }
}
