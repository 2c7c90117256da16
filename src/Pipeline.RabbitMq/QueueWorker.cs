using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Concurrency;
using Pipeline.Running;
using Pipeline.Sinks;

namespace Pipeline.RabbitMq;

/// <summary>
/// The worker role: the same runner, consumers and fetcher as the in-process pipeline, with the work
/// queue as the source and the result queue as the sink. A URL is acked only after its result is
/// confirmed by the broker; a worker that stops returns what it holds, and one that dies has its
/// unacked URLs redelivered to the others.
/// </summary>
/// <param name="runner">The pipeline runner.</param>
/// <param name="options">The broker settings.</param>
/// <param name="timeProvider">The clock of the idle timeout.</param>
/// <param name="logger">The logger.</param>
/// <param name="adaptive">The bounds of adaptive concurrency (<c>--concurrency auto</c>), or <see langword="null"/> for none.</param>
/// <remarks>
/// With <c>--concurrency auto</c> the worker's consumers are gated by the same per-host limiter as an
/// in-process run: up to <c>Pipeline:Adaptive:Max</c> consumers, as many fetching as the limit allows.
/// The prefetch stays at <c>Max</c> (or <c>Pipeline:RabbitMq:Prefetch</c>): the broker's per-consumer
/// prefetch cannot follow a limit that changes every window, and deliveries waiting in the worker are
/// acked only after their result, so none is lost.
/// </remarks>
public sealed class QueueWorker(PipelineRunner runner, IOptions<RabbitMqOptions> options, TimeProvider timeProvider, ILogger<QueueWorker> logger, IOptions<AdaptiveOptions>? adaptive = null)
{
    /// <summary>Takes URLs from the work queue until stopped (or idle for <see cref="RabbitMqOptions.IdleTimeout"/>).</summary>
    /// <param name="settings">The pipeline settings: mode, concurrency, grace, HTTP.</param>
    /// <param name="observer">Progress, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops the worker: fetches in flight get the grace period, the rest go back to the queue.</param>
    /// <returns>The summary of what this worker did.</returns>
    public async Task<RunSummary> RunAsync(PipelineOptions settings, IRunObserver? observer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var broker = options.Value;
        var mode = settings.Mode == PipelineMode.Sequential ? PipelineMode.Sequential : PipelineMode.Concurrent;
        var bounds = mode == PipelineMode.Concurrent && adaptive?.Value is { Enabled: true } auto ? auto : null;
        var consumers = mode == PipelineMode.Sequential ? 1 : bounds?.Max ?? settings.Concurrency;
        var prefetch = broker.Prefetch > 0 ? broker.Prefetch : consumers;

        await using var connection = await BrokerConnection.OpenAsync(broker, $"worker {broker.WorkerName}", cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await BrokerConnection.DeclareQueuesAsync(channel, broker, cancellationToken);
        Log.Connected(logger, BrokerConnection.Redacted(broker.Uri), RabbitMqRole.Worker, broker.WorkQueue, broker.ResultQueue);

        await using IAsyncDisposable sink = string.IsNullOrEmpty(broker.ResultQueue)
            ? JsonLinesResultSink.Create(settings.Output, append: true)
            : await RabbitMqResultSink.CreateAsync(connection, broker, cancellationToken);
        var plan = new RunPlan
        {
            Mode = mode,
            Concurrency = consumers,
            Adaptive = bounds,
            ChannelCapacity = Math.Min(settings.ChannelCapacity, prefetch),
            ResultChannelCapacity = settings.ResultChannelCapacity,

            // The producer marks repeats within its batch; a long-lived worker sees many batches and
            // must not call a URL of today's batch a repeat of yesterday's.
            Duplicates = DuplicatePolicy.Fetch,
            ShutdownGrace = settings.ShutdownGrace,
            Sources = [new RabbitMqUrlSource(channel, broker.WorkQueue, prefetch, broker.IdleTimeout, timeProvider, logger)],
            Sink = (IResultSink)sink,
            Observer = observer,
        };
        RunSummary run;
        try
        {
            run = await runner.RunAsync(plan, cancellationToken);
        }
        catch (Exception ex) when (!connection.IsOpen)
        {
            // Results that can no longer be published or acked: the broker redelivers those URLs.
            throw new BrokerException(LostMessage(broker), ex);
        }

        if (!connection.IsOpen && !cancellationToken.IsCancellationRequested)
        {
            throw new BrokerException(LostMessage(broker));
        }

        return run;
    }

    private static string LostMessage(RabbitMqOptions broker)
        => $"Lost the connection to RabbitMQ at {BrokerConnection.Redacted(broker.Uri)}: the URLs this worker had not acked go back to the queue; restart it to go on.";
}
