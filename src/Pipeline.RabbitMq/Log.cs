using Microsoft.Extensions.Logging;

namespace Pipeline.RabbitMq;

/// <summary>The transport's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Information, "Connected to RabbitMQ at {Broker} as {Role}; work queue {WorkQueue}, result queue {ResultQueue}")]
    public static partial void Connected(ILogger logger, string broker, RabbitMqRole role, string workQueue, string resultQueue);

    [LoggerMessage(102, LogLevel.Warning, "RabbitMQ blocked this connection ({Reason}): publishing waits until it is unblocked")]
    public static partial void Blocked(ILogger logger, string reason);

    [LoggerMessage(103, LogLevel.Information, "RabbitMQ unblocked this connection: publishing resumes")]
    public static partial void Unblocked(ILogger logger);

    [LoggerMessage(104, LogLevel.Information, "Published batch {Batch}: {Published} message(s) confirmed in {WallSeconds:0.000} s")]
    public static partial void Published(ILogger logger, string batch, long published, double wallSeconds);

    [LoggerMessage(105, LogLevel.Warning, "Skipped a message on {Queue} that is not a results record ({Reason}); acked so it does not come back")]
    public static partial void BadRecord(ILogger logger, string queue, string reason);

    [LoggerMessage(106, LogLevel.Information, "Batch {Batch} announced {Count} URL(s)")]
    public static partial void BatchAnnounced(ILogger logger, string batch, long count);

    [LoggerMessage(107, LogLevel.Warning, "The broker closed the consumer on {Queue}: {Reason}")]
    public static partial void ConsumerClosed(ILogger logger, string queue, string reason);

    [LoggerMessage(108, LogLevel.Information, "Resuming batch {Batch}: {Published} message(s) were confirmed before the stop (state in {StateDirectory})")]
    public static partial void Resuming(ILogger logger, string batch, long published, string stateDirectory);

    [LoggerMessage(109, LogLevel.Information, "Collector waiting on queue {Queue}: no batch announced yet, {Written} result(s) written so far, nothing arrived in the last {Interval} (a producer announces its batch once every URL is published)")]
    public static partial void WaitingForBatch(ILogger logger, string queue, long written, TimeSpan interval);

    [LoggerMessage(110, LogLevel.Information, "Collector waiting on queue {Queue}: {Received} of {Expected} result(s) of {Batches} announced batch(es) written, nothing arrived in the last {Interval}")]
    public static partial void WaitingForResults(ILogger logger, string queue, long received, long expected, int batches, TimeSpan interval);

    [LoggerMessage(111, LogLevel.Warning, "Could not save the producer's state to {Path}; tried again at the next checkpoint (a kill now repeats more lines)")]
    public static partial void CheckpointFailed(ILogger logger, string path, Exception exception);
}
