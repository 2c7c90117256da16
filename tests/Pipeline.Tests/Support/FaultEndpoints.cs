using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pipeline.Tests.Support;

/// <summary>
/// Hostile behaviours under <c>/fault/</c>: error statuses with <c>Retry-After</c>, answers that never
/// come or come byte by byte, bodies past any limit, dropped connections, redirect loops, and
/// "fail N times then succeed" keyed per test so parallel tests do not share a counter.
/// </summary>
public sealed class FaultEndpoints
{
    private readonly ConcurrentDictionary<string, int> _hits = new();

    public int Hits(string key) => _hits.GetValueOrDefault(key);

    public void Map(IEndpointRouteBuilder endpoints)
    {
        // /fault/status/{code}?retryAfter=5 or ?retryAfterDate=-60 (seconds from now, as an HTTP-date).
        endpoints.MapGet("/fault/status/{code:int}", context =>
        {
            context.Response.StatusCode = RouteInt(context, "code");
            SetRetryAfter(context);
            return context.Response.WriteAsync("fault\n", context.RequestAborted);
        });

        // /fault/flaky/{key}/{failures}/{how}: the first `failures` requests of `key` fail as `how`
        // says (a status code, "hang" or "reset"); later ones answer 200.
        endpoints.MapGet("/fault/flaky/{key}/{failures:int}/{how}", async context =>
        {
            var key = (string)context.GetRouteValue("key")!;
            var hit = _hits.AddOrUpdate(key, 1, (_, n) => n + 1);
            if (hit > RouteInt(context, "failures"))
            {
                await context.Response.WriteAsync("ok\n", context.RequestAborted);
                return;
            }

            var how = (string)context.GetRouteValue("how")!;
            switch (how)
            {
                case "hang":
                    await HangAsync(context);
                    break;
                case "reset":
                    context.Abort();
                    break;
                default:
                    context.Response.StatusCode = int.Parse(how, CultureInfo.InvariantCulture);
                    SetRetryAfter(context);
                    await context.Response.WriteAsync("fault\n", context.RequestAborted);
                    break;
            }
        });

        // Accepts the request and never sends headers.
        endpoints.MapGet("/fault/hang", HangAsync);

        // Drops the connection without an answer.
        endpoints.MapGet("/fault/reset", context =>
        {
            context.Abort();
            return Task.CompletedTask;
        });

        // Headers and 32 MiB of a 64 MiB body, then the connection drops. 32 MiB is more than the
        // socket buffers of both ends hold, so the writes complete only once the client is
        // reading the body: the abort cannot overtake the headers.
        endpoints.MapGet("/fault/reset-body", async context =>
        {
            context.Response.ContentLength = 64 << 20;
            var chunk = new byte[64 * 1024];
            for (var i = 0; i < 512; i++)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }

            await context.Response.Body.FlushAsync(context.RequestAborted);
            context.Abort();
        });

        // Headers at once, then one byte every {ms} milliseconds, {count} bytes in all.
        endpoints.MapGet("/fault/drip/{count:int}/{ms:int}", async context =>
        {
            await context.Response.StartAsync(context.RequestAborted);
            for (var i = 0; i < RouteInt(context, "count"); i++)
            {
                await context.Response.Body.WriteAsync("x"u8.ToArray(), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                await Task.Delay(RouteInt(context, "ms"), context.RequestAborted);
            }
        });

        // A chunked body without Content-Length that goes on until the client gives up.
        endpoints.MapGet("/fault/endless", async context =>
        {
            var chunk = new byte[16 * 1024];
            try
            {
                while (!context.RequestAborted.IsCancellationRequested)
                {
                    await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                }
            }
            catch (OperationCanceledException)
            {
                // The client stopped reading: the expected end.
            }
        });

        // {count} zero bytes, gzip-encoded: a few hundred bytes on the wire.
        endpoints.MapGet("/fault/gzip/{count:int}", async context =>
        {
            using var compressed = new MemoryStream();
            await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
            {
                await gzip.WriteAsync(new byte[RouteInt(context, "count")], context.RequestAborted);
            }

            context.Response.Headers.ContentEncoding = "gzip";
            context.Response.ContentLength = compressed.Length;
            await context.Response.Body.WriteAsync(compressed.ToArray(), context.RequestAborted);
        });

        // Redirects to itself for ever (for HEAD too).
        endpoints.MapMethods("/fault/loop", ["GET", "HEAD"], context =>
        {
            context.Response.Redirect("/fault/loop");
            return Task.CompletedTask;
        });

        // /fault/chain/{n}: n redirects, then an answer.
        endpoints.MapGet("/fault/chain/{n:int}", context =>
        {
            var n = RouteInt(context, "n");
            if (n == 0)
            {
                return context.Response.WriteAsync("ok\n", context.RequestAborted);
            }

            context.Response.Redirect(string.Create(CultureInfo.InvariantCulture, $"/fault/chain/{n - 1}"));
            return Task.CompletedTask;
        });

        // Redirects to an absolute URL given in ?to= (used towards refused addresses).
        endpoints.MapGet("/fault/redirect", context =>
        {
            context.Response.Redirect(context.Request.Query["to"].ToString());
            return Task.CompletedTask;
        });
    }

    private static async Task HangAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as it should.
        }
    }

    private static void SetRetryAfter(HttpContext context)
    {
        if (context.Request.Query.TryGetValue("retryAfter", out var seconds))
        {
            context.Response.Headers.RetryAfter = seconds.ToString();
        }
        else if (context.Request.Query.TryGetValue("retryAfterDate", out var offset))
        {
            var at = DateTimeOffset.UtcNow.AddSeconds(int.Parse(offset.ToString(), CultureInfo.InvariantCulture));
            context.Response.Headers.RetryAfter = at.ToString("r", CultureInfo.InvariantCulture);
        }
    }

    private static int RouteInt(HttpContext context, string name)
        => int.Parse((string)context.GetRouteValue(name)!, CultureInfo.InvariantCulture);
}
