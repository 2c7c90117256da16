using System.Net.Sockets;
using System.Text;

namespace Pipeline.Worker.Hosting.Systemd;

/// <summary>
/// Sends <c>sd_notify</c> messages (<c>READY=1</c>, <c>STOPPING=1</c>, <c>STATUS=…</c>) to the
/// datagram socket systemd names in <c>$NOTIFY_SOCKET</c>: the part of
/// Microsoft.Extensions.Hosting.Systemd this service needs, on the documented protocol.
/// </summary>
/// <remarks>Without <c>$NOTIFY_SOCKET</c> (not under systemd, or not <c>Type=notify</c>) every call does nothing.</remarks>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endPoint;
    private readonly Lock _gate = new();

    /// <summary>Initializes a new instance of the <see cref="SystemdNotifier"/> class from an explicit socket path.</summary>
    /// <param name="notifySocket">The value of <c>$NOTIFY_SOCKET</c>, or <see langword="null"/>.</param>
    public SystemdNotifier(string? notifySocket)
    {
        if (string.IsNullOrEmpty(notifySocket) || !OperatingSystem.IsLinux())
        {
            return;
        }

        // A leading '@' names a socket in the abstract namespace, which .NET spells with a NUL.
        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endPoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>Gets a notifier for this process's environment.</summary>
    /// <returns>The notifier.</returns>
    public static SystemdNotifier FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>Gets a value indicating whether systemd is listening.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>Sends one notification; failures are swallowed (systemd going away must not stop the work).</summary>
    /// <param name="state">Newline-separated assignments, such as <c>READY=1</c>.</param>
    /// <returns><see langword="true"/> when the message was sent.</returns>
    public bool Notify(string state)
    {
        if (_socket is null || _endPoint is null)
        {
            return false;
        }

        try
        {
            lock (_gate)
            {
                _socket.SendTo(Encoding.UTF8.GetBytes(state), SocketFlags.None, _endPoint);
            }

            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _socket?.Dispose();
}
