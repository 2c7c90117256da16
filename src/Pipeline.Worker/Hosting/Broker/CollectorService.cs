using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.RabbitMq;
using Pipeline.Telemetry;
using Pipeline.Running;
using Pipeline.State;

namespace Pipeline.Worker.Hosting.Broker;

/// <summary>The collector role: gathers every worker's results into one file and prints the summary.</summary>
internal sealed class CollectorService(
    ResultCollector collector,
    IOptions<PipelineOptions> options,
    IOptions<RabbitMqOptions> broker,
    IOptions<ConsoleOptions> consoleOptions,
    IOptions<TelemetryOptions> telemetry,
    BatchOutcome outcome,
    ConsoleOutput output,
    IHostApplicationLifetime lifetime,
    ILogger<CollectorService> logger) : RunOnceService("collector", outcome, output, telemetry, lifetime, logger)
{
    protected override async Task<RunOnceResult> RunOnceAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;

        // One collector per state folder (its ledger lives there) as well as per results file.
        var state = Path.Combine(settings.StateDirectory, "collector");
        using var stateLock = StateLock.Acquire(state, "collector");
        var collected = await collector.CollectAsync(settings.Output, state, stoppingToken);
        var report = new BatchReport([collected.Run], null, settings.Output);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"collected {collected.Written} result(s) from queue {broker.Value.ResultQueue} into {settings.Output}: {collected.DuplicatesDropped} repeat(s) dropped, {collected.Redelivered} redelivered\n");
        foreach (var (batch, counts) in collected.Batches)
        {
            text.Append(CultureInfo.InvariantCulture, $"batch {batch}: {counts.Received} of {counts.Expected} result(s){(counts.Received >= counts.Expected ? string.Empty : " (incomplete)")}\n");
        }

        text.Append(SummaryText.For(report, consoleOptions.Value.Summary));
        // An incomplete collection was stopped early: what it has not taken stays in the queue.
        return new RunOnceResult(text.ToString(), Interrupted: !collected.Complete, collected.Run.HasFailures);
    }
}
