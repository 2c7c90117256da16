using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Pipeline.DemoOrigin;

namespace Pipeline.Worker.Tests.Support;

/// <summary>
/// A loopback OTLP/HTTP receiver: keeps the raw protobuf bodies posted to <c>/v1/traces</c> and
/// <c>/v1/metrics</c>. Tests search the bytes for UTF-8 strings (span names, URLs), which protobuf
/// stores verbatim, so no protobuf library is needed.
/// </summary>
/// <remarks>Built on the demo origin's loopback Kestrel server, which takes extra endpoints.</remarks>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<byte[]> _traces = new();
    private readonly ConcurrentQueue<byte[]> _metrics = new();
    private DemoOriginServer _server = null!;

    private OtlpReceiver()
    {
    }

    public Uri BaseAddress => _server.BaseAddress;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var receiver = new OtlpReceiver();
        receiver._server = await DemoOriginServer.StartAsync(0, endpoints =>
        {
            endpoints.MapPost("/v1/traces", context => ReceiveAsync(context, receiver._traces));
            endpoints.MapPost("/v1/metrics", context => ReceiveAsync(context, receiver._metrics));
        });
        return receiver;
    }

    /// <summary>Tells whether any trace export so far carries the text.</summary>
    public bool TracesContain(string text) => Contains(_traces, text);

    /// <summary>Tells whether any metrics export so far carries the text.</summary>
    public bool MetricsContain(string text) => Contains(_metrics, text);

    public ValueTask DisposeAsync() => _server.DisposeAsync();

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
