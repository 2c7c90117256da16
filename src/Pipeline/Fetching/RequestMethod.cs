namespace Pipeline.Fetching;

/// <summary>The HTTP method every URL is fetched with.</summary>
public enum RequestMethod
{
    /// <summary><c>GET</c>: the response body is read (and counted, and limited by <see cref="HttpFetchOptions.MaxResponseBytes"/>).</summary>
    Get,

    /// <summary><c>HEAD</c>: status and headers only; no body is read, so <c>bytes</c> is 0 and the size limit does not apply.</summary>
    Head,
}
