using System.Net;
using System.Net.Sockets;

namespace Pipeline.RabbitMq.Tests.Support;

/// <summary>
/// A TCP relay on 127.0.0.1 between one client and the broker, which a test cuts as a network drop would:
/// every connection through it is closed at once, while the broker and everyone else's connections stay up.
/// </summary>
internal sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Uri _target;
    private readonly List<(TcpClient Client, TcpClient Upstream)> _open = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private CuttableProxy(Uri target)
    {
        _target = target;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Gets the broker URI through the proxy (the same user, password and virtual host).</summary>
    public string Uri => new UriBuilder(_target) { Port = ((IPEndPoint)_listener.LocalEndpoint).Port }.Uri.ToString();

    public static CuttableProxy Start(string brokerUri) => new(new Uri(brokerUri));

    /// <summary>Closes every connection through the proxy, both ways; new ones are still relayed.</summary>
    public void Cut()
    {
        lock (_open)
        {
            foreach (var (client, upstream) in _open)
            {
                client.Dispose();
                upstream.Dispose();
            }

            _open.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Cut();
        try
        {
            await _accepting;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            var upstream = new TcpClient();
            await upstream.ConnectAsync(_target.Host, _target.Port == -1 ? 5672 : _target.Port, _stop.Token);
            lock (_open)
            {
                _open.Add((client, upstream));
            }

            _ = RelayAsync(client, upstream);
            _ = RelayAsync(upstream, client);
        }
    }

    // One direction; when either side ends, both are closed, as a dropped link ends both.
    private static async Task RelayAsync(TcpClient from, TcpClient to)
    {
        try
        {
            await from.GetStream().CopyToAsync(to.GetStream());
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or SocketException)
        {
            // Cut, or closed by the other side.
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }
}
