using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pipeline.Running;
using Pipeline.Sources;
using Pipeline.Telemetry;
using RabbitMQ.Client;

namespace Pipeline.RabbitMq;

/// <summary>
/// The producer role: reads the sources as the in-process pipeline does and publishes every line as a
/// persistent message to the durable work queue, with publisher confirms.
/// </summary>
/// <remarks>
/// Back-pressure comes from the broker: at most <see cref="RabbitMqOptions.PublishWindow"/> messages
/// await confirmation, and a broker under a memory or disk alarm blocks the connection, which makes
/// the publish wait. Nothing is buffered beyond the window, whatever the size of the source.
/// </remarks>
/// <param name="options">The broker settings.</param>
/// <param name="timeProvider">The clock.</param>
/// <param name="logger">The logger.</param>
public sealed class UrlPublisher(IOptions<RabbitMqOptions> options, TimeProvider timeProvider, ILogger<UrlPublisher> logger)
{
    /// <summary>Publishes every line of the sources, then announces the batch's size on the result queue.</summary>
    /// <param name="sources">What to publish.</param>
    /// <param name="duplicates">Whether repeated URLs are marked so that they are fetched once.</param>
    /// <param name="stateDirectory">Where the run keeps its batch id and how far each source was confirmed, saved
    /// before the first message and then every <paramref name="checkpointInterval"/>; the next run with the same
    /// sources resumes there, under the same batch, whether this one was stopped, lost its broker or was killed.</param>
    /// <param name="checkpointInterval">How often the confirmed positions are saved while publishing; zero saves them only when the run ends.</param>
    /// <param name="cancellationToken">Stops reading; what was published is still confirmed.</param>
    /// <returns>What was published.</returns>
    public async Task<PublishSummary> PublishAsync(IReadOnlyList<IUrlSource> sources, DuplicatePolicy duplicates, string stateDirectory, TimeSpan checkpointInterval, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var settings = options.Value;
        var saved = await ProducerStateFile.LoadAsync(stateDirectory, cancellationToken);
        var batch = settings.Batch ?? saved?.Batch ?? Guid.NewGuid().ToString("n")[..12];

        // Same batch, same message ids: a line published again (confirmed after the last save) is dropped by the collector.
        var progress = new ProducerProgress(batch, saved?.Batch == batch ? saved : null, sources);
        var toRead = progress.ToRead;
        if (progress.Resumed)
        {
            Log.Resuming(logger, batch, progress.Carried, stateDirectory);
        }

        await using var connection = await BrokerConnection.OpenAsync(settings, $"producer {settings.WorkerName}", cancellationToken);
        connection.ConnectionBlockedAsync += (_, e) =>
        {
            Log.Blocked(logger, e.Reason);
            return Task.CompletedTask;
        };
        connection.ConnectionUnblockedAsync += (_, _) =>
        {
            Log.Unblocked(logger);
            return Task.CompletedTask;
        };

        // Tracking makes each publish complete when the broker confirms it (or fail when it nacks).
        // Our own window bounds what is outstanding; the client's limiter is twice as wide because
        // it delays every publish once half of it is in use, which capped a 256 window at ~260/s.
        var channelOptions = new CreateChannelOptions(
            publisherConfirmationsEnabled: true,
            publisherConfirmationTrackingEnabled: true,
            outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(settings.PublishWindow * 2));
        await using var channel = await connection.CreateChannelAsync(channelOptions, cancellationToken);
        await BrokerConnection.DeclareQueuesAsync(channel, settings, cancellationToken);
        Log.Connected(logger, BrokerConnection.Redacted(settings.Uri), RabbitMqRole.Producer, settings.WorkQueue, settings.ResultQueue);

        // The batch id is on the disk before its first message is in the queue: whatever ends this
        // process from here on, kill -9 included, the same command carries on under the same batch.
        var checkpoints = new ProducerCheckpoints(stateDirectory, checkpointInterval, timeProvider, logger);
        await checkpoints.SaveAsync(progress.Snapshot(), cancellationToken);

        using var run = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.PublishRunSpanName);
        run?.SetTag("pipeline.batch", batch);
        run?.SetTag("messaging.destination.name", settings.WorkQueue);
        var started = timeProvider.GetTimestamp();
        var window = new Queue<(Task Confirmed, int Source, long Line)>();
        long invalid = 0, repeated = 0;

        // Confirmations arrive in publish order, so each source's position is the end of a confirmed prefix.
        async Task ConfirmOldestAsync()
        {
            var (done, source, line) = window.Dequeue();
            await done;
            progress.Confirm(source, line);
            checkpoints.SaveIfDue(progress);
        }

        // The same producer stage as an in-process run: sources read lazily, bad lines as items,
        // repeats marked. Its channel is the read-ahead; the publish window is the back-pressure.
        var work = Channel.CreateBounded<WorkItem>(new BoundedChannelOptions(settings.PublishWindow) { SingleReader = true, SingleWriter = toRead.Count == 1 });
        var producer = new ProducerStage(toRead, duplicates, timeProvider, logger);
        var indexOf = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var index = toRead.Count - 1; index >= 0; index--)
        {
            indexOf[toRead[index].Name] = index;
        }

        using var reading = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producing = producer.RunAsync(work.Writer, reading.Token);
        Exception? lost = null;
        try
        {
            // Everything the stage wrote is published, also when stopping: the stage then stops
            // reading and completes the channel, so this ends; what it held back is not published,
            // and the saved positions end before it.
            await foreach (var item in work.Reader.ReadAllAsync(CancellationToken.None))
            {
                repeated += item.DuplicateOf is null ? 0 : 1;
                invalid += item.IsValid ? 0 : 1;
                if (window.Count >= settings.PublishWindow)
                {
                    await ConfirmOldestAsync();
                }

                window.Enqueue((PublishOneAsync(channel, settings, batch, item), indexOf[item.Source], item.Line));
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The connection dropped, the broker nacked or refused a message: what was confirmed
            // before it is kept, under this batch, for the same command to carry on from.
            lost = ex;
        }
        finally
        {
            // A publish that failed must not leave the stage waiting on a full channel.
            await reading.CancelAsync();
            await producing;
        }

        var interrupted = lost is not null || (cancellationToken.IsCancellationRequested && producer.Positions.Any(p => !p.Exhausted));

        // What was sent is confirmed even when stopping: the summary and the saved state must say
        // exactly what the broker holds. After a failure nothing later counts: confirmations are
        // in publish order, and what follows the first unconfirmed message is published again.
        while (window.Count > 0)
        {
            if (lost is not null)
            {
                // Seen through, and its failure observed: the first failure is the one reported.
                var rest = window.Dequeue().Confirmed;
                _ = await Task.WhenAny(rest);
                _ = rest.Exception;
                continue;
            }

            try
            {
                await ConfirmOldestAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                lost = ex;
                interrupted = true;
            }
        }

        // A source the stage read to its end and whose every line was confirmed is saved as done.
        var state = progress.Snapshot(producer.Positions);
        if (!interrupted && !string.IsNullOrEmpty(settings.ResultQueue))
        {
            // The collector knows the batch is complete when it holds this many distinct results.
            // Saved as done first, so that a kill before the state is cleared repeats only this
            // announcement (the collector takes the same count twice); confirmed before the state goes.
            await checkpoints.SaveAsync(state, CancellationToken.None);
            try
            {
                await AnnounceAsync(channel, settings.ResultQueue, batch, state.Published);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                lost = ex;
                interrupted = true;
            }
        }

        if (interrupted)
        {
            await checkpoints.SaveAsync(state, CancellationToken.None);
        }
        else
        {
            await checkpoints.ClearAsync();
        }

        var wall = timeProvider.GetElapsedTime(started);
        run?.SetTag("pipeline.urls", progress.Published);
        Log.Published(logger, batch, progress.Published, wall.TotalSeconds);
        return new PublishSummary(batch, progress.Published, invalid, repeated, wall, interrupted, progress.LastPosition)
        {
            Resumed = progress.Resumed,
            Total = state.Published,
            BrokerFailure = lost is null ? null : $"{lost.GetType().Name}: {lost.Message}",
        };
    }

    private static async Task AnnounceAsync(IChannel channel, string queue, string batch, long count)
    {
        var end = new BasicProperties
        {
            Persistent = true,
            Type = MessageHeaders.BatchEndType,
            MessageId = $"{batch}/end",
            Headers = new Dictionary<string, object?> { [MessageHeaders.Batch] = batch, [MessageHeaders.Count] = count },
        };

        // With confirmation tracking on, this returns once the broker has the announcement on disk.
        await channel.BasicPublishAsync(string.Empty, queue, mandatory: true, end, ReadOnlyMemory<byte>.Empty, CancellationToken.None);
    }

    private static async Task PublishOneAsync(IChannel channel, RabbitMqOptions settings, string batch, WorkItem item)
    {
        using var span = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.PublishSpanName, ActivityKind.Producer);
        if (span is { IsAllDataRequested: true })
        {
            span.SetTag("messaging.system", "rabbitmq");
            span.SetTag("messaging.operation.type", "send");
            span.SetTag("messaging.destination.name", settings.WorkQueue);
            span.SetTag(SpanAttributes.Source, item.Source);
            span.SetTag(SpanAttributes.Line, item.Line);
        }

        var headers = new Dictionary<string, object?>
        {
            [MessageHeaders.Source] = item.Source,
            [MessageHeaders.Line] = item.Line,
            [MessageHeaders.Batch] = batch,
        };
        if (item.Error is { } error)
        {
            headers[MessageHeaders.Error] = error;
        }

        if (item.DuplicateOf is { } duplicateOf)
        {
            headers[MessageHeaders.DuplicateOf] = duplicateOf;
        }

        MessageHeaders.InjectTraceContext(span, headers);
        var properties = new BasicProperties
        {
            Persistent = true,
            Type = MessageHeaders.UrlType,
            ContentType = "text/plain; charset=utf-8",
            MessageId = $"{batch}/{item.Source}:{item.Line}",
            Headers = headers,
        };

        // mandatory: a message no queue takes comes back as an error instead of vanishing. Not
        // cancellable: a publish under way is seen through to its confirmation, so that the saved
        // position is exact when the producer is stopped.
        await channel.BasicPublishAsync(string.Empty, settings.WorkQueue, mandatory: true, properties, Encoding.UTF8.GetBytes(item.Text), CancellationToken.None);
    }
}
