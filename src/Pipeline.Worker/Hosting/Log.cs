using Microsoft.Extensions.Logging;

namespace Pipeline.Worker.Hosting;

/// <summary>The worker's log messages, source-generated.</summary>
internal static partial class Log
{
    [LoggerMessage(101, LogLevel.Information, "No URLs configured: serving {Count} demo URL(s) that answer after {LatencyMs} ms from {Origin}")]
    public static partial void DemoStarted(ILogger logger, int count, double latencyMs, Uri origin);

    [LoggerMessage(102, LogLevel.Information, "Progress ({Mode}): {Done}{OfTotal} done, {InFlight} in flight, {Queued} queued, {Succeeded} succeeded, {Failed} not, {Rate:0.0} URL/s")]
    public static partial void Progress(ILogger logger, string mode, long done, string ofTotal, long inFlight, long queued, long succeeded, long failed, double rate);

    [LoggerMessage(103, LogLevel.Critical, "The batch failed")]
    public static partial void BatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(104, LogLevel.Warning, "Stopped before the batch finished; what was done is in {Output}")]
    public static partial void BatchInterrupted(ILogger logger, string output);
}
