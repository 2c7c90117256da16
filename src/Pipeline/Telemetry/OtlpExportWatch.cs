using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipeline.Telemetry;

/// <summary>
/// Turns the OTLP exporter's own diagnostics into log lines: a warning the first time an endpoint
/// fails, naming its address, and one line when it answers again. Nothing in between, so a
/// collector that is down for an hour costs two lines, not one per export.
/// </summary>
/// <remarks>
/// The exporter reports through its EventSource only (it never throws at the host); listening to
/// it keeps the maintained <c>AddOtlpExporter</c> in place instead of wrapping the exporter, which
/// would lose the resource (service name) the provider hands it.
/// </remarks>
internal sealed class OtlpExportWatch : EventListener, IHostedService
{
    private const string SourceName = "OpenTelemetry-Exporter-OpenTelemetryProtocol";

    // Events of the exporter's EventSource whose first argument is the endpoint.
    private static readonly HashSet<string> Failures = ["FailedToReachCollector", "TransientHttpError", "HttpRequestFailed", "RequestTimedOut", "ExportFailure", "OperationUnexpectedlyCanceled"];
    private const string Success = "ExportSuccess";

    private readonly ConcurrentDictionary<string, bool> _failing = new(StringComparer.Ordinal);
    private ILogger? _logger;

    public OtlpExportWatch(ILogger<OtlpExportWatch> logger) => _logger = logger;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Runs for sources that exist already while the base constructor runs, before our fields are set.
        if (eventSource.Name == SourceName)
        {
            EnableEvents(eventSource, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (_logger is not { } logger || eventData.Payload is not { Count: > 0 } payload || payload[0] is not string endpoint)
        {
            return;
        }

        if (eventData.EventName == Success)
        {
            if (_failing.TryUpdate(endpoint, false, true))
            {
                Log.ExportRecovered(logger, endpoint);
            }
        }
        else if (eventData.EventName is { } name && Failures.Contains(name))
        {
            // Only the change from working (or unknown) to failing is logged.
            if (_failing.TryAdd(endpoint, true) || _failing.TryUpdate(endpoint, true, false))
            {
                var reason = payload.Count > 1 ? payload[^1]?.ToString() ?? name : name;
                Log.ExportFailing(logger, endpoint, FirstLine(reason));
            }
        }
    }

    public override void Dispose()
    {
        _logger = null;
        base.Dispose();
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }
}
