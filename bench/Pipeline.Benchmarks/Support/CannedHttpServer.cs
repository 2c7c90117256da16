using System.Net;
using System.Net.Sockets;

namespace Pipeline.Benchmarks.Support;

/// <summary>
/// A loopback HTTP/1.1 server that answers every request with the same few bytes (<c>200</c>,
/// body <c>ok\n</c>, like the harness's nginx <c>/ok</c>) and allocates nothing per request, so that
/// the memory diagnoser, which counts the whole process, sees the client's allocations only.
/// </summary>
/// <remarks>It parses nothing but the blank line that ends a request's headers: good for GETs from HttpClient, nothing else.</remarks>
internal sealed class CannedHttpServer : IDisposable
{
    private static readonly byte[] Response =
        "HTTP/1.1 200 OK\r\nServer: canned\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: keep-alive\r\n\r\nok\n"u8.ToArray();

    private static readonly byte[] EndOfHeaders = "\r\n\r\n"u8.ToArray();
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly CancellationTokenSource _stop = new();

    public CannedHttpServer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(512);
        BaseAddress = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}/");
        _ = AcceptAsync();
    }

    public Uri BaseAddress { get; }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Dispose();
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        var stop = _stop.Token;
        try
        {
            while (true)
            {
                _ = ServeAsync(await _listener.AcceptAsync(stop), stop);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed: the benchmark is over.
        }
    }

    private static async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        using (socket)
        {
            var buffer = new byte[4096];
            var matched = 0;
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
                {
                    // Count the ends of headers in what arrived; one may straddle two reads.
                    var requests = 0;
                    foreach (var b in buffer.AsSpan(0, read))
                    {
                        matched = b == EndOfHeaders[matched] ? matched + 1 : b == (byte)'\r' ? 1 : 0;
                        if (matched == EndOfHeaders.Length)
                        {
                            requests++;
                            matched = 0;
                        }
                    }

                    for (var i = 0; i < requests; i++)
                    {
                        await socket.SendAsync(Response, SocketFlags.None, stop);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client closed the connection, or the server is stopping.
            }
        }
    }
}
