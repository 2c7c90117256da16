using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.RabbitMq;
using Pipeline.Telemetry;
using Pipeline.Sources;
using Pipeline.State;

namespace Pipeline.Worker.Hosting.Broker;

/// <summary>The producer role: publishes the configured sources to the work queue and exits.</summary>
internal sealed class ProducerService(
    UrlPublisher publisher,
    IOptions<PipelineOptions> options,
    IOptions<RabbitMqOptions> broker,
    IOptions<TelemetryOptions> telemetry,
    BatchOutcome outcome,
    ConsoleOutput output,
    IHostApplicationLifetime lifetime,
    ILogger<ProducerService> logger) : RunOnceService("producer", outcome, output, telemetry, lifetime, logger)
{
    protected override async Task<RunOnceResult> RunOnceAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var sources = UrlSources.FromOptions(settings);
        if (sources.Count == 0)
        {
            throw new BrokerException("Nothing to publish: give a URL file (--input FILE, Pipeline:Files) or Pipeline:Urls.");
        }

        // Its own folder: a producer's checkpoints must not be mistaken for an in-process batch's.
        var state = Path.Combine(settings.StateDirectory, "producer");
        using var stateLock = StateLock.Acquire(state, "producer");
        var published = await publisher.PublishAsync(sources, settings.Duplicates, state, settings.CheckpointInterval, stoppingToken);
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"published {published.Published} URL(s) to {broker.Value.WorkQueue} as batch {published.Batch} in {published.Wall.TotalSeconds:0.000} s ({published.Invalid} invalid, {published.Duplicates} duplicate(s), sent as such){(published.Resumed ? $"; resumed: {published.Total} in the batch so far" : string.Empty)}\n");
        if (published.Interrupted)
        {
            text += string.Create(
                CultureInfo.InvariantCulture,
                $"{(published.BrokerFailure is { } failure ? $"lost the broker ({failure})" : "interrupted")} after {published.LastPosition ?? "nothing"}: position and batch saved in {state}/; the same command again publishes the rest of batch {published.Batch}\n");
        }

        // A lost broker has its own code, so a supervisor can retry it (the batch resumes).
        return new RunOnceResult(text, published.Interrupted, HasFailures: false) { ExitCode = published.BrokerFailure is not null ? ExitCodes.BrokerLost : null };
    }
}
