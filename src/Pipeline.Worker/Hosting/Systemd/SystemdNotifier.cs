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
    /// <param name="watchdogUsec">The value of <c>$WATCHDOG_USEC</c> (set when the unit has <c>WatchdogSec=</c>), or <see langword="null"/>.</param>
    public SystemdNotifier(string? notifySocket, string? watchdogUsec = null)
    {
        if (string.IsNullOrEmpty(notifySocket) || !OperatingSystem.IsLinux())
        {
            return;
        }

        IsWatchdogEnabled = long.TryParse(watchdogUsec, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var usec) && usec > 0;

        // A leading '@' names a socket in the abstract namespace, which .NET spells with a NUL.
        var path = notifySocket[0] == '@' ? "\0" + notifySocket[1..] : notifySocket;
        _endPoint = new UnixDomainSocketEndPoint(path);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>Gets a notifier for this process's environment.</summary>
    /// <param name="heartbeat">The heartbeat file of a service, touched with every <see cref="NotifyAlive"/>.</param>
    /// <returns>The notifier.</returns>
    public static SystemdNotifier FromEnvironment(Service.HeartbeatFile? heartbeat = null)
    {
        // WATCHDOG_PID names the process the watchdog is meant for; a child that inherited the
        // variables must not ping on its parent's behalf.
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        var forUs = string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"), forUs ? Environment.GetEnvironmentVariable("WATCHDOG_USEC") : null) { Heartbeat = heartbeat };
    }

    /// <summary>Gets or sets the file touched on every <see cref="NotifyAlive"/>, for a health probe where no systemd listens (a container).</summary>
    public Service.HeartbeatFile? Heartbeat { get; set; }

    /// <summary>Gets a value indicating whether systemd is listening.</summary>
    public bool IsEnabled => _socket is not null;

    /// <summary>Gets a value indicating whether systemd expects <c>WATCHDOG=1</c> heartbeats.</summary>
    public bool IsWatchdogEnabled { get; }

    /// <summary>Reports that the service is alive and what it does: <c>WATCHDOG=1</c> when the watchdog is on, and the status.</summary>
    /// <param name="status">The text <c>systemctl status</c> shows.</param>
    /// <returns><see langword="true"/> when the message was sent.</returns>
    /// <remarks>Call it only where real work or an idle poll has just happened, never from a timer of its own.</remarks>
    public bool NotifyAlive(string status)
    {
        Heartbeat?.Beat();
        return Notify(IsWatchdogEnabled ? "WATCHDOG=1\nSTATUS=" + status : "STATUS=" + status);
    }

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
