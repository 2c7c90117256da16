using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.RabbitMq;
using Pipeline.Telemetry;
using Pipeline.Running;

namespace Pipeline.Worker.Hosting.Broker;

/// <summary>The worker role: fetches from the work queue until stopped or idle.</summary>
internal sealed class QueueWorkerService(
    QueueWorker worker,
    IOptions<PipelineOptions> options,
    IOptions<RabbitMqOptions> broker,
    IOptions<ConsoleOptions> consoleOptions,
    ProgressDisplay progress,
    IOptions<TelemetryOptions> telemetry,
    BatchOutcome outcome,
    ConsoleOutput output,
    IHostApplicationLifetime lifetime,
    ILogger<QueueWorkerService> logger) : RunOnceService("worker", outcome, output, telemetry, lifetime, logger)
{
    protected override async Task<RunOnceResult> RunOnceAsync(CancellationToken stoppingToken)
    {
        var run = await worker.RunAsync(options.Value, progress, stoppingToken);
        var destination = string.IsNullOrEmpty(broker.Value.ResultQueue) ? options.Value.Output : $"queue {broker.Value.ResultQueue}";
        var report = new BatchReport([run], null, destination) { ReturnedToSource = true };
        var text = SummaryText.For(report, consoleOptions.Value.Summary);

        // Stopping is a worker's normal end: what it held went back to the queue, nothing is lost.
        return new RunOnceResult(text, Interrupted: false, HasFailures: false);
    }
}
