using Microsoft.Extensions.Hosting;

namespace Pipeline.Worker.Hosting.Systemd;

/// <summary>Tells systemd when the host is ready and when it stops, and mirrors progress into <c>systemctl status</c>.</summary>
internal sealed class SystemdLifetimeNotifications(SystemdNotifier notifier, IHostApplicationLifetime lifetime) : IHostedService
{
    private CancellationTokenRegistration _started;
    private CancellationTokenRegistration _stopping;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (notifier.IsEnabled)
        {
            _started = lifetime.ApplicationStarted.Register(() => notifier.Notify("READY=1\nSTATUS=running"));
            _stopping = lifetime.ApplicationStopping.Register(() => notifier.Notify("STOPPING=1\nSTATUS=stopping: finishing fetches in flight, saving pending URLs"));
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _started.Dispose();
        _stopping.Dispose();
        return Task.CompletedTask;
    }
}
