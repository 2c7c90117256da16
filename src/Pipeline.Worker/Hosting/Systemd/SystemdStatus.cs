using System.Globalization;
using Microsoft.Extensions.Hosting.Systemd;
using Pipeline.Worker.Hosting.Service;

namespace Pipeline.Worker.Hosting.Systemd;

/// <summary>
/// What Microsoft.Extensions.Hosting.Systemd does not send: <c>STATUS=</c> (shown by
/// <c>systemctl status</c>) and the <c>WATCHDOG=1</c> heartbeat, through its <see cref="ISystemdNotifier"/>.
/// </summary>
/// <remarks>
/// READY=1 and STOPPING=1 come from the package's <c>SystemdLifetime</c>. Without a notifier (not
/// under systemd or another supervisor that sets <c>$NOTIFY_SOCKET</c>) every call does nothing.
/// </remarks>
/// <param name="notifier">The package's notifier, or <see langword="null"/> when none is registered.</param>
/// <param name="watchdog">The watchdog timeout systemd announced in <c>$WATCHDOG_USEC</c>, or <see langword="null"/> when it expects no heartbeat.</param>
/// <param name="heartbeat">The service's heartbeat file (for <c>--health</c> where no systemd listens), touched with every <see cref="Alive"/>.</param>
internal sealed class SystemdStatus(ISystemdNotifier? notifier, TimeSpan? watchdog, HeartbeatFile? heartbeat = null)
{
    /// <summary>Gets a value indicating whether a supervisor listens.</summary>
    public bool IsEnabled => notifier?.IsEnabled == true;

    /// <summary>Gets the watchdog timeout, or <see langword="null"/> when no heartbeat is expected.</summary>
    public TimeSpan? Watchdog { get; } = notifier?.IsEnabled == true ? watchdog : null;

    /// <summary>Builds the status channel for this process's environment.</summary>
    /// <param name="notifier">The package's notifier, if registered.</param>
    /// <param name="heartbeat">The service's heartbeat file, if any.</param>
    /// <returns>The status channel.</returns>
    public static SystemdStatus FromEnvironment(ISystemdNotifier? notifier, HeartbeatFile? heartbeat = null)
    {
        // WATCHDOG_PID names the process the watchdog is meant for; a child that inherited the
        // variables must not ping on its parent's behalf.
        var pid = Environment.GetEnvironmentVariable("WATCHDOG_PID");
        var forUs = string.IsNullOrEmpty(pid) || pid == Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        var usec = forUs && long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? TimeSpan.FromMicroseconds(value)
            : (TimeSpan?)null;
        return new SystemdStatus(notifier, usec, heartbeat);
    }

    /// <summary>Gets how often a running service proves it is alive: half the watchdog timeout (as systemd recommends), at most <paramref name="poll"/>.</summary>
    /// <param name="poll">The service's own poll interval.</param>
    /// <returns>The heartbeat period.</returns>
    public TimeSpan HeartbeatPeriod(TimeSpan poll) => Watchdog is { } timeout && timeout / 2 < poll ? timeout / 2 : poll;

    /// <summary>Shows what the service does in <c>systemctl status</c>.</summary>
    /// <param name="status">The text.</param>
    public void Status(string status) => Send("STATUS=" + status);

    /// <summary>Reports that the service is alive (<c>WATCHDOG=1</c> when the watchdog is on) and what it does.</summary>
    /// <param name="status">The text <c>systemctl status</c> shows.</param>
    /// <remarks>Call it only from a loop that has just checked the work moves, never from a timer of its own.</remarks>
    public void Alive(string status)
    {
        heartbeat?.Beat();
        Send(Watchdog is null ? "STATUS=" + status : "WATCHDOG=1\nSTATUS=" + status);
    }

    private void Send(string state)
    {
        if (notifier?.IsEnabled == true)
        {
            // The package's notifier swallows socket errors: systemd going away must not stop the work.
            notifier.Notify(new ServiceState(state));
        }
    }
}
