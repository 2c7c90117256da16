using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace Pipeline.Fetching;

/// <summary>
/// The redirects of one attempt, followed by the fetcher itself rather than by the handler: it
/// counts them, knows the URL each hop asks for, and tells a loop (a URL requested twice) from a
/// chain that is merely too long.
/// </summary>
/// <param name="start">The URL the attempt starts from.</param>
/// <param name="maxRedirects">How many redirects may be followed.</param>
internal sealed class RedirectChain(Uri start, int maxRedirects)
{
    private readonly Uri _start = start;

    // Allocated at the first redirect: most URLs have none.
    private List<Uri>? _visited;

    /// <summary>Gets the URL the next request goes to.</summary>
    public Uri Current { get; private set; } = start;

    /// <summary>Gets the number of redirects followed so far.</summary>
    public int Count { get; private set; }

    /// <summary>Gets whether a response is a redirect to follow: a redirect status with a <c>Location</c>, and redirects enabled.</summary>
    /// <param name="response">The response.</param>
    /// <param name="location">Its <c>Location</c>, when it is a redirect.</param>
    /// <returns><see langword="true"/> when the fetcher should follow it (or refuse it with a reason).</returns>
    public bool IsRedirect(HttpResponseMessage response, [NotNullWhen(true)] out Uri? location)
    {
        location = response.Headers.Location;
        return maxRedirects > 0 && location is not null && response.StatusCode is HttpStatusCode.MultipleChoices or HttpStatusCode.MovedPermanently
            or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;
    }

    /// <summary>Moves to the redirect's target, or says why it is not followed.</summary>
    /// <param name="status">The redirect's status.</param>
    /// <param name="location">Its <c>Location</c>, absolute or relative to <see cref="Current"/>.</param>
    /// <returns><see langword="null"/> when followed; otherwise the reason and its <see cref="ErrorTypes"/> value.</returns>
    public (string Error, string ErrorType)? Follow(int status, Uri location)
    {
        var from = Current;
        var to = location.IsAbsoluteUri ? location : new Uri(from, location);
        if (to.Scheme != Uri.UriSchemeHttp && to.Scheme != Uri.UriSchemeHttps)
        {
            return ($"redirect to a {to.Scheme}: URL not followed: {status} from {from} to {to}", ErrorTypes.RedirectRefused);
        }

        if (from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp)
        {
            return ($"redirect from https to http not followed: {status} from {from} to {to}", ErrorTypes.RedirectRefused);
        }

        // Uri equality ignores the fragment (never sent) and compares the host without case.
        _visited ??= [_start];
        if (_visited.Contains(to))
        {
            return ($"redirect loop: {status} from {from} to {to}, which this chain already requested", ErrorTypes.RedirectLoop);
        }

        if (Count >= maxRedirects)
        {
            return ($"too many redirects (more than {maxRedirects}): {status} from {from} to {to}", ErrorTypes.TooManyRedirects);
        }

        _visited.Add(to);
        Current = to;
        Count++;
        return null;
    }
}
