using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Pipeline.Worker.Tests.Support;

/// <summary>
/// A loopback OTLP/HTTP receiver: keeps the raw protobuf bodies posted to <c>/v1/traces</c> and
/// <c>/v1/metrics</c>. Tests search the bytes for UTF-8 strings (span names, URLs), which protobuf
/// stores verbatim, so no protobuf library is needed.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<byte[]> _traces = new();
    private readonly ConcurrentQueue<byte[]> _metrics = new();

    private OtlpReceiver(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public int TracePosts => _traces.Count;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var receiver = new OtlpReceiver(app);
        app.UseRouting();
        app.MapPost("/v1/traces", context => ReceiveAsync(context, receiver._traces));
        app.MapPost("/v1/metrics", context => ReceiveAsync(context, receiver._metrics));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver.BaseAddress = new Uri(address);
        return receiver;
    }

    /// <summary>Tells whether any trace export so far carries the text.</summary>
    public bool TracesContain(string text) => Contains(_traces, text);

    /// <summary>Tells whether any metrics export so far carries the text.</summary>
    public bool MetricsContain(string text) => Contains(_metrics, text);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool Contains(IEnumerable<byte[]> bodies, string text)
    {
        var needle = Encoding.UTF8.GetBytes(text);
        return bodies.Any(body => body.AsSpan().IndexOf(needle) >= 0);
    }

    private static async Task ReceiveAsync(HttpContext context, ConcurrentQueue<byte[]> bodies)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        bodies.Enqueue(body.ToArray());

        // An empty Export*ServiceResponse is a valid, fully accepted answer.
        context.Response.ContentType = "application/x-protobuf";
        context.Response.StatusCode = StatusCodes.Status200OK;
    }
}
