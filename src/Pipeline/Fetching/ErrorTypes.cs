using System.Globalization;

namespace Pipeline.Fetching;

/// <summary>
/// The one list of <c>error.type</c> values: what the <c>fetch url</c> span, the
/// <c>pipeline.items.failed</c> metric and the results record's <c>errorType</c> say about a line that
/// did not succeed. docs/results.md documents the same list, and a test keeps the two equal.
/// </summary>
/// <remarks>
/// The kinds of transport failure are the names .NET's own <c>http.client</c> metrics use for
/// <c>error.type</c> (from <see cref="HttpRequestError"/>), so dashboards line up; the rest are the
/// pipeline's own. Besides these constants a value is either an HTTP status code (<c>404</c>) for an
/// <see cref="FetchOutcome.HttpError"/>, or the full name of an unexpected exception type
/// (<c>System.IO.IOException</c>), as the OpenTelemetry conventions allow.
/// </remarks>
public static class ErrorTypes
{
    /// <summary>An attempt or the per-URL budget ran out of time.</summary>
    public const string Timeout = "timeout";

    /// <summary>The connection could not be made or broke (.NET's <see cref="HttpRequestError.ConnectionError"/>).</summary>
    public const string ConnectionError = "connection_error";

    /// <summary>The host name did not resolve.</summary>
    public const string NameResolutionError = "name_resolution_error";

    /// <summary>The TLS handshake failed.</summary>
    public const string SecureConnectionError = "secure_connection_error";

    /// <summary>The server broke the HTTP protocol.</summary>
    public const string HttpProtocolError = "http_protocol_error";

    /// <summary>An HTTP/2 or HTTP/3 extended CONNECT was not supported.</summary>
    public const string ExtendedConnectNotSupported = "extended_connect_not_supported";

    /// <summary>No HTTP version could be agreed.</summary>
    public const string VersionNegotiationError = "version_negotiation_error";

    /// <summary>Authentication with the server failed.</summary>
    public const string UserAuthenticationError = "user_authentication_error";

    /// <summary>A proxy tunnel could not be made.</summary>
    public const string ProxyTunnelError = "proxy_tunnel_error";

    /// <summary>The response could not be parsed.</summary>
    public const string InvalidResponse = "invalid_response";

    /// <summary>The connection ended before the whole response arrived (or before any of it).</summary>
    public const string ResponseEnded = "response_ended";

    /// <summary>A limit of the handler (header size, for example) was exceeded.</summary>
    public const string ConfigurationLimitExceeded = "configuration_limit_exceeded";

    /// <summary>The host's circuit was open: the URL failed at once.</summary>
    public const string CircuitOpen = "circuit_open";

    /// <summary>The body was larger than <see cref="HttpFetchOptions.MaxResponseBytes"/> (by its <c>Content-Length</c> or as read).</summary>
    public const string TooLarge = "too_large";

    /// <summary>A redirect led back to a URL already requested in the same chain.</summary>
    public const string RedirectLoop = "redirect_loop";

    /// <summary>The redirect chain was longer than <see cref="HttpFetchOptions.MaxRedirects"/> without repeating a URL.</summary>
    public const string TooManyRedirects = "too_many_redirects";

    /// <summary>A redirect was not followed: from https to http, or to a scheme other than http and https.</summary>
    public const string RedirectRefused = "redirect_refused";

    /// <summary>Every address of the host (or of a redirect's target) was refused by the address policy.</summary>
    public const string AddressRefused = "address_refused";

    /// <summary>The input line is not an absolute http or https URL: nothing was sent.</summary>
    public const string InvalidUrl = "invalid_url";

    /// <summary>The run was stopped while the URL was being fetched.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>A failure of no known kind (OpenTelemetry's fallback value).</summary>
    public const string Other = "_OTHER";

    // Status codes as text, made once: an http_error's type is asked for by the span, the metric and the record.
    private static readonly string[] StatusTexts = [.. Enumerable.Range(0, 1000).Select(code => code.ToString(CultureInfo.InvariantCulture))];

    /// <summary>Gets every named value above, in the order docs/results.md lists them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        Timeout, ConnectionError, NameResolutionError, SecureConnectionError, HttpProtocolError, ExtendedConnectNotSupported,
        VersionNegotiationError, UserAuthenticationError, ProxyTunnelError, InvalidResponse, ResponseEnded, ConfigurationLimitExceeded,
        CircuitOpen, TooLarge, RedirectLoop, TooManyRedirects, RedirectRefused, AddressRefused, InvalidUrl, Cancelled, Other,
    ];

    /// <summary>Gives the <c>error.type</c> of a result, or <see langword="null"/> when it did not fail.</summary>
    /// <param name="result">The result.</param>
    /// <returns>The status code for an <c>http_error</c>, the fetcher's kind for a <c>failed</c> line,
    /// <see cref="InvalidUrl"/> and <see cref="Cancelled"/> for those outcomes; <see langword="null"/> for
    /// <c>succeeded</c>, <c>duplicate</c> and <c>pending</c>.</returns>
    public static string? Of(FetchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Outcome switch
        {
            FetchOutcome.HttpError => result.StatusCode is { } code ? (code is >= 0 and < 1000 ? StatusTexts[code] : code.ToString(CultureInfo.InvariantCulture)) : Other,
            FetchOutcome.Failed => result.ErrorType ?? Other,
            FetchOutcome.Invalid => InvalidUrl,
            FetchOutcome.Cancelled => Cancelled,
            _ => null,
        };
    }

    /// <summary>The name .NET's <c>http.client</c> metrics give a transport failure.</summary>
    internal static string From(HttpRequestError error, Exception exception) => error switch
    {
        HttpRequestError.NameResolutionError => NameResolutionError,
        HttpRequestError.ConnectionError => ConnectionError,
        HttpRequestError.SecureConnectionError => SecureConnectionError,
        HttpRequestError.HttpProtocolError => HttpProtocolError,
        HttpRequestError.ExtendedConnectNotSupported => ExtendedConnectNotSupported,
        HttpRequestError.VersionNegotiationError => VersionNegotiationError,
        HttpRequestError.UserAuthenticationError => UserAuthenticationError,
        HttpRequestError.ProxyTunnelError => ProxyTunnelError,
        HttpRequestError.InvalidResponse => InvalidResponse,
        HttpRequestError.ResponseEnded => ResponseEnded,
        HttpRequestError.ConfigurationLimitExceeded => ConfigurationLimitExceeded,
        _ => exception.GetType().FullName ?? Other,
    };
}
