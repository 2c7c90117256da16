using Microsoft.Extensions.Hosting;

namespace Pipeline.Telemetry;

/// <summary>Builds the telemetry providers as the host starts and flushes them as it stops.</summary>
/// <remarks>
/// Registered before the worker, so the host stops it after the worker: the last spans of an
/// interrupted run have ended by then. The container disposes the providers afterwards.
/// </remarks>
/// <param name="providers">The providers; resolving them builds them.</param>
internal sealed class TelemetryService(TelemetryProviders providers) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        providers.ForceFlush();
        return Task.CompletedTask;
    }
}
