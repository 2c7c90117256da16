using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Hosting.Systemd;

namespace Pipeline.Worker.Tests.Support;

/// <summary>
/// Plays systemd's side of <c>$NOTIFY_SOCKET</c>: a Unix datagram socket that receives what the
/// service sends. <see cref="Notifier"/> is an <see cref="ISystemdNotifier"/> writing to it, for
/// hosts in the test process (the package's own notifier reads the path from the process environment).
/// </summary>
internal sealed class NotifySocket : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly byte[] _buffer = new byte[4096];

    public NotifySocket(string directory)
    {
        Path = System.IO.Path.Combine(directory, "notify.sock");
        _socket.Bind(new UnixDomainSocketEndPoint(Path));
        Notifier = new DatagramNotifier(Path);
    }

    public string Path { get; }

    public ISystemdNotifier Notifier { get; }

    /// <summary>Waits for the next message; the timeout only keeps a broken test from hanging.</summary>
    public async Task<string> ReceiveAsync()
    {
        var received = await _socket.ReceiveAsync(_buffer, SocketFlags.None).WaitAsync(TimeSpan.FromSeconds(60));
        return Encoding.UTF8.GetString(_buffer, 0, received);
    }

    public void Dispose()
    {
        _socket.Dispose();
        ((IDisposable)Notifier).Dispose();
    }

    private sealed class DatagramNotifier(string path) : ISystemdNotifier, IDisposable
    {
        // Not blocking: once a test stops reading, a full queue drops messages instead of stalling the service.
        private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified) { Blocking = false };

        public bool IsEnabled => true;

        public void Notify(ServiceState state)
        {
            lock (_socket)
            {
                try
                {
                    _socket.SendTo(Encoding.UTF8.GetBytes(state.ToString()), new UnixDomainSocketEndPoint(path));
                }
                catch (SocketException)
                {
                    // As the package's notifier: a supervisor that does not listen must not stop the work.
                }
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
