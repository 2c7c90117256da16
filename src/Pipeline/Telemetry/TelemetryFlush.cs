using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Pipeline.Telemetry;

/// <summary>Hands every finished span and the latest metrics to the exporters as the host stops.</summary>
/// <remarks>
/// The providers belong to OpenTelemetry.Extensions.Hosting and export what is left when the
/// container disposes them; flushing at stop gets the spans of an interrupted run out while the
/// host still waits for its stop, not after the process has decided to exit. Registered before the
/// worker, so the host stops it after the worker: the last spans have ended by then.
/// </remarks>
/// <param name="services">Where the providers are resolved from.</param>
internal sealed class TelemetryFlush(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        services.GetService<TracerProvider>()?.ForceFlush(PipelineDefaults.TelemetryFlushMilliseconds);
        services.GetService<MeterProvider>()?.ForceFlush(PipelineDefaults.TelemetryFlushMilliseconds);
        return Task.CompletedTask;
    }
}
