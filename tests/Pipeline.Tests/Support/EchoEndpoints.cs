using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pipeline.Tests.Support;

/// <summary>
/// Endpoints under <c>/echo/{key}</c> that remember each request's method and headers, keyed per test, so a
/// test can see what the fetcher sent: <c>/echo/{key}?size=n</c> answers n bytes of text (GET and HEAD),
/// <c>/echo/{key}/status/{code}</c> answers that status, <c>/echo/{key}/redirect?to=url</c> redirects.
/// </summary>
public sealed class EchoEndpoints
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<EchoedRequest>> _requests = new();

    public IReadOnlyList<EchoedRequest> Requests(string key)
        => _requests.TryGetValue(key, out var requests) ? [.. requests] : [];

    public void Map(IEndpointRouteBuilder endpoints)
    {
        string[] methods = ["GET", "HEAD"];
        endpoints.MapMethods("/echo/{key}", methods, context =>
        {
            Record(context);
            var size = int.TryParse(context.Request.Query["size"], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 3;
            context.Response.ContentType = "text/plain; charset=utf-8";
            context.Response.ContentLength = size;

            // Kestrel sends no body for HEAD, whatever is written.
            return context.Response.Body.WriteAsync(new byte[size], context.RequestAborted).AsTask();
        });
        endpoints.MapMethods("/echo/{key}/status/{code:int}", methods, context =>
        {
            Record(context);
            context.Response.StatusCode = int.Parse((string)context.GetRouteValue("code")!, CultureInfo.InvariantCulture);
            return Task.CompletedTask;
        });
        endpoints.MapMethods("/echo/{key}/redirect", methods, context =>
        {
            Record(context);
            context.Response.Redirect(context.Request.Query["to"].ToString());
            return Task.CompletedTask;
        });
    }

    private void Record(HttpContext context)
    {
        var key = (string)context.GetRouteValue("key")!;
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.GetOrAdd(key, _ => new()).Enqueue(new EchoedRequest(context.Request.Method, context.Request.Host.Host, headers));
    }
}

/// <summary>One request an echo endpoint received.</summary>
/// <param name="Method">The method.</param>
/// <param name="Host">The host the request was addressed to (the <c>Host</c> header without port).</param>
/// <param name="Headers">Its headers.</param>
public sealed record EchoedRequest(string Method, string Host, IReadOnlyDictionary<string, string> Headers);
