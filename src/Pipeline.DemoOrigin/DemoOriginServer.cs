using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.DemoOrigin;

/// <summary>
/// A Kestrel server on 127.0.0.1 with endpoints that answer after a chosen delay, so the first run
/// shows the effect of concurrency without any network, and tests have a real server to talk to.
/// </summary>
/// <remarks>
/// Endpoints: <c>/delay/{ms}</c> (a short body after <c>ms</c> milliseconds), <c>/ok</c>,
/// <c>/status/{code}</c>, <c>/bytes/{count}</c>, <c>/page/{links}?delay=ms</c> (an HTML page with that many absolute
/// links, about 64 bytes each, after an optional delay: a body that costs real CPU to process, see <see cref="DemoPage"/>), and <c>/capacity/{k}/{ms}?queue=q&amp;retryAfter=s</c>: a server
/// that serves k requests at once in ms each, queues q more and answers 503 past that (see
/// <see cref="CapacityStation"/>). Other query strings are ignored, so <c>?i=7</c> makes URLs distinct.
/// </remarks>
public sealed class DemoOriginServer : IAsyncDisposable
{
    private static readonly byte[] OkBody = "ok\n"u8.ToArray();
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<(int Capacity, int Milliseconds, int Queue), CapacityStation> _stations;

    private DemoOriginServer(WebApplication app, Uri baseAddress, DemoOriginStats stats, ConcurrentDictionary<(int, int, int), CapacityStation> stations)
    {
        _app = app;
        _stations = stations;
        BaseAddress = baseAddress;
        Stats = stats;
    }

    /// <summary>Gets the origin's address, such as <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Gets what the server saw.</summary>
    public DemoOriginStats Stats { get; }

    /// <summary>Starts an origin on 127.0.0.1.</summary>
    /// <param name="port">The port; 0 picks a free one.</param>
    /// <param name="mapExtra">More endpoints (tests add faults and barriers here), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops start-up.</param>
    /// <returns>The running origin.</returns>
    public static async Task<DemoOriginServer> StartAsync(int port = 0, Action<IEndpointRouteBuilder>? mapExtra = null, CancellationToken cancellationToken = default)
    {
        // The empty builder reads no appsettings.json and no ASPNETCORE_* variables: the origin
        // must not pick up the worker's configuration or bind where a variable says.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var stats = new DemoOriginStats();
        app.Use(async (context, next) =>
        {
            stats.Enter();
            var left = 0;

            // Count the request out when its answer starts, not when the handler returns: the
            // client can finish reading before the handler unwinds, and a sequential client must
            // never look like two requests at once.
            void Leave()
            {
                if (Interlocked.Exchange(ref left, 1) == 0)
                {
                    stats.Leave();
                }
            }

            context.Response.OnStarting(() =>
            {
                Leave();
                return Task.CompletedTask;
            });
            try
            {
                await next(context);
            }
            finally
            {
                Leave();
            }
        });
        app.UseRouting();
        app.MapGet("/", context => context.Response.WriteAsync(
            "Pipeline demo origin: /delay/{ms}, /ok, /status/{code}, /bytes/{count}, /page/{links}?delay={ms}\n", context.RequestAborted));
        app.MapGet("/ok", context => WriteOkAsync(context));
        app.MapGet("/delay/{ms:int:range(0,600000)}", async context =>
        {
            var ms = RouteInt(context, "ms");
            await Task.Delay(TimeSpan.FromMilliseconds(ms), context.RequestAborted);
            await WriteOkAsync(context);
        });
        app.MapGet("/status/{code:int:range(200,599)}", context =>
        {
            context.Response.StatusCode = RouteInt(context, "code");
            return WriteOkAsync(context);
        });
        app.MapGet("/bytes/{count:int:range(0,104857600)}", async context =>
        {
            var count = RouteInt(context, "count");
            context.Response.ContentLength = count;
            var chunk = new byte[Math.Min(count, 64 * 1024)];
            Array.Fill(chunk, (byte)'x');
            for (var left = count; left > 0; left -= chunk.Length)
            {
                await context.Response.Body.WriteAsync(chunk.AsMemory(0, Math.Min(left, chunk.Length)), context.RequestAborted);
            }
        });
        app.MapGet("/page/{links:int:range(0,1000000)}", async context =>
        {
            // The same bytes for every request of a size: serving costs the origin a copy, so on a
            // shared machine the CPU it takes is the client's processing, not the page's making.
            if (QueryInt(context, "delay") is > 0 and var delay)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(delay, 600_000)), context.RequestAborted);
            }

            var page = DemoPage.Get(RouteInt(context, "links"));
            context.Response.ContentType = "text/html; charset=utf-8";
            context.Response.ContentLength = page.Length;
            await context.Response.Body.WriteAsync(page, context.RequestAborted);
        });
        var stations = new ConcurrentDictionary<(int Capacity, int Milliseconds, int Queue), CapacityStation>();
        app.MapGet("/capacity/{k:int:range(1,100000)}/{ms:int:range(0,600000)}", context =>
        {
            var (k, ms) = (RouteInt(context, "k"), RouteInt(context, "ms"));
            var queue = QueryInt(context, "queue") ?? k;
            var station = stations.GetOrAdd((k, ms, Math.Max(0, queue)), key => new CapacityStation(key.Capacity, TimeSpan.FromMilliseconds(key.Milliseconds), key.Queue));
            return station.HandleAsync(context, QueryInt(context, "retryAfter"));
        });
        mapExtra?.Invoke(app);

        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DemoOriginServer(app, new Uri(address.EndsWith('/') ? address : address + "/"), stats, stations);
    }

    /// <summary>Makes a list of distinct URLs on one capacity station (<c>/capacity/{k}/{ms}?queue=q</c>).</summary>
    /// <param name="count">How many.</param>
    /// <param name="capacity">Requests served at once.</param>
    /// <param name="service">How long serving one takes.</param>
    /// <param name="queue">How many more may wait before the answer is 503.</param>
    /// <returns>The URLs.</returns>
    public IReadOnlyList<string> CapacityUrls(int count, int capacity, TimeSpan service, int queue)
    {
        var ms = (long)service.TotalMilliseconds;
        return Enumerable.Range(1, count)
            .Select(i => new Uri(BaseAddress, string.Create(CultureInfo.InvariantCulture, $"capacity/{capacity}/{ms}?queue={queue}&i={i}")).ToString())
            .ToArray();
    }

    /// <summary>Gets the capacity station behind <see cref="CapacityUrls"/>, or <see langword="null"/> when none was asked for yet.</summary>
    /// <param name="capacity">Requests served at once.</param>
    /// <param name="service">How long serving one takes.</param>
    /// <param name="queue">How many more may wait.</param>
    /// <returns>The station.</returns>
    public CapacityStation? Station(int capacity, TimeSpan service, int queue)
        => _stations.TryGetValue((capacity, (int)service.TotalMilliseconds, queue), out var station) ? station : null;

    /// <summary>Makes a list of distinct URLs on <c>/delay/{ms}</c>.</summary>
    /// <param name="count">How many.</param>
    /// <param name="latency">How long each takes to answer.</param>
    /// <returns>The URLs.</returns>
    public IReadOnlyList<string> DelayUrls(int count, TimeSpan latency)
    {
        var ms = (long)latency.TotalMilliseconds;
        return Enumerable.Range(1, count)
            .Select(i => new Uri(BaseAddress, string.Create(CultureInfo.InvariantCulture, $"delay/{ms}?i={i}")).ToString())
            .ToArray();
    }

    /// <summary>Makes a list of distinct URLs on <c>/page/{links}?delay={ms}</c>: pages that wait on the network, then cost CPU to process.</summary>
    /// <param name="count">How many.</param>
    /// <param name="links">Links per page.</param>
    /// <param name="latency">How long each takes to answer.</param>
    /// <returns>The URLs.</returns>
    public IReadOnlyList<string> PageUrls(int count, int links, TimeSpan latency)
    {
        var ms = (long)latency.TotalMilliseconds;
        return Enumerable.Range(1, count)
            .Select(i => new Uri(BaseAddress, string.Create(CultureInfo.InvariantCulture, $"page/{links}?delay={ms}&i={i}")).ToString())
            .ToArray();
    }

    /// <summary>Stops the server.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        foreach (var station in _stations.Values)
        {
            station.Dispose();
        }
    }

    private static Task WriteOkAsync(HttpContext context)
    {
        context.Response.ContentType = "text/plain";
        context.Response.ContentLength = OkBody.Length;
        return context.Response.Body.WriteAsync(OkBody, context.RequestAborted).AsTask();
    }

    private static int? QueryInt(HttpContext context, string name)
        => int.TryParse(context.Request.Query[name], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int RouteInt(HttpContext context, string name)
        => int.Parse((string)context.GetRouteValue(name)!, CultureInfo.InvariantCulture);
}
