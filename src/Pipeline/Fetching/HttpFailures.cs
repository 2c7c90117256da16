using System.Net;

namespace Pipeline.Fetching;

/// <summary>How the fetcher judges a failed attempt: whether another attempt may fare better, and how to say what happened.</summary>
internal static class HttpFailures
{
    /// <summary>Gets whether a status is worth another attempt: 408, 429 and 5xx.</summary>
    public static bool IsTransient(int status)
        => status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests || status >= 500;

    /// <summary>Gets whether a transport failure is worth another attempt.</summary>
    public static bool IsTransient(HttpRequestError error) => error switch
    {
        HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError or HttpRequestError.Unknown => true,

        // Unknown names, TLS failures, malformed answers: the same request will fail the same way.
        _ => false,
    };

    /// <summary>Finds an exception of a type in a chain of inner exceptions.</summary>
    public static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>Says what a request exception means, naming the cause rather than the generic outer message.</summary>
    public static string Describe(HttpRequestException ex)
    {
        // The outer message is generic ("An error occurred while sending the request"); the
        // inner one names the cause (connection refused, reset, name not resolved).
        var inner = ex.InnerException?.Message;
        var kind = ex.HttpRequestError == HttpRequestError.Unknown ? null : ex.HttpRequestError.ToString();
        return (kind, inner) switch
        {
            (not null, not null) => $"{kind}: {inner}",
            (not null, null) => $"{kind}: {ex.Message}",
            (null, not null) => inner,
            _ => ex.Message,
        };
    }
}
