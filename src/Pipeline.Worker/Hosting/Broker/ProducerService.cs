using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.RabbitMq;
using Pipeline.Sources;

namespace Pipeline.Worker.Hosting.Broker;

/// <summary>The producer role: publishes the configured sources to the work queue and exits.</summary>
internal sealed class ProducerService(
    UrlPublisher publisher,
    IOptions<PipelineOptions> options,
    IOptions<RabbitMqOptions> broker,
    BatchOutcome outcome,
    ConsoleOutput output,
    IHostApplicationLifetime lifetime,
    ILogger<ProducerService> logger) : BrokerRoleService(RabbitMqRole.Producer, outcome, output, lifetime, logger)
{
    protected override async Task<(string Summary, int ExitCode)> RunRoleAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var sources = UrlSources.FromOptions(settings);
        if (sources.Count == 0)
        {
            throw new BrokerException("Nothing to publish: give a URL file (--input FILE, Pipeline:Files) or Pipeline:Urls.");
        }

        var published = await publisher.PublishAsync(sources, settings.Duplicates, stoppingToken);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"published {published.Published} URL(s) to {broker.Value.WorkQueue} as batch {published.Batch} in {published.Wall.TotalSeconds:0.000} s ({published.Invalid} invalid, {published.Duplicates} duplicate(s), sent as such)\n");
        if (published.Interrupted)
        {
            text += string.Create(
                CultureInfo.InvariantCulture,
                $"interrupted after {published.LastPosition ?? "the first line"}: run again with --Pipeline:RabbitMq:Batch {published.Batch} to publish the rest (the collector drops the repeats)\n");
        }

        return (text, published.Interrupted ? ExitCodes.Interrupted : ExitCodes.Success);
    }
}
