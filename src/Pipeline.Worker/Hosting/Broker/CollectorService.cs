using System.Globalization;
using System.Text;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.RabbitMq;
using Pipeline.Running;
using Pipeline.State;

namespace Pipeline.Worker.Hosting.Broker;

/// <summary>The collector role: gathers every worker's results into one file and prints the summary.</summary>
internal sealed class CollectorService(
    ResultCollector collector,
    IOptions<PipelineOptions> options,
    IOptions<RabbitMqOptions> broker,
    IOptions<ConsoleOptions> consoleOptions,
    BatchOutcome outcome,
    ConsoleOutput output,
    IHostApplicationLifetime lifetime,
    ILogger<CollectorService> logger) : BrokerRoleService(RabbitMqRole.Collector, outcome, output, lifetime, logger)
{
    protected override async Task<(string Summary, int ExitCode)> RunRoleAsync(CancellationToken stoppingToken)
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
        var exitCode = !collected.Complete ? ExitCodes.Interrupted
            : collected.Run.HasFailures ? ExitCodes.CompletedWithFailures
            : ExitCodes.Success;
        return (text.ToString(), exitCode);
    }
}
