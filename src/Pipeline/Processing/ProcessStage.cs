using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Fetching;
using Pipeline.Running;
using Pipeline.Telemetry;

namespace Pipeline.Processing;

/// <summary>
/// The optional stage between the fetch consumers and the sink: <see cref="ProcessPlan.Parallelism"/> workers take
/// results with their bodies from the small processing channel, run the steps on each succeeded one (inside a
/// <c>process result</c> span) and pass every result on to the result channel, processed or not.
/// </summary>
/// <remarks>
/// Separate from the fetch consumers on purpose: fetching waits on the network, processing uses a core, and each
/// gets the parallelism that suits it. A step's failure is that result's processing error, never the stage's end.
/// The stage drains without a token: every result that enters leaves; after the stop's grace period the steps
/// are cancelled and what is left passes through marked as not processed.
/// </remarks>
/// <param name="plan">The steps and the number of workers.</param>
/// <param name="run">What the stages of the run share (the abort signal).</param>
/// <param name="timeProvider">The clock of the processing durations.</param>
/// <param name="logger">The logger.</param>
/// <param name="redactor">How URLs appear in spans and logs.</param>
internal sealed class ProcessStage(ProcessPlan plan, RunState run, TimeProvider timeProvider, ILogger logger, UrlRedactor redactor)
{
    private readonly string _steps = string.Join(',', plan.Steps.Select(step => step.Name));

    /// <summary>Runs the workers until the processing channel is completed and empty.</summary>
    /// <param name="reader">The processing channel's reader.</param>
    /// <param name="results">The result channel's writer; not completed here.</param>
    /// <param name="failed">Called at once when a worker fails (the result channel was closed by a failed sink): the runner closes
    /// the processing channel with the error, so consumers waiting to write to it do not wait forever.</param>
    /// <returns>A task that completes when every worker has ended.</returns>
    public Task RunAsync(ChannelReader<ProcessItem> reader, ChannelWriter<FetchResult> results, Action<Exception> failed)
    {
        var workers = new Task[plan.Parallelism];
        for (var id = 0; id < workers.Length; id++)
        {
            var workerId = id;
            workers[id] = Task.Run(
                async () =>
                {
                    try
                    {
                        await WorkAsync(workerId, reader, results);
                    }
                    catch (Exception ex)
                    {
                        failed(ex);
                        throw;
                    }
                },
                CancellationToken.None);
        }

        return Task.WhenAll(workers);
    }

    private async Task WorkAsync(int workerId, ChannelReader<ProcessItem> reader, ChannelWriter<FetchResult> results)
    {
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            while (reader.TryRead(out var item))
            {
                FetchResult result;
                try
                {
                    result = item.Result.Outcome == FetchOutcome.Succeeded ? await ProcessAsync(workerId, item) : item.Result;
                }
                finally
                {
                    item.Body?.Dispose();
                }

                // Not cancellable, as in the consumers: a result that exists is written even while stopping.
                if (!results.TryWrite(result))
                {
                    await results.WriteAsync(result, CancellationToken.None);
                }
            }
        }
    }

    private async ValueTask<FetchResult> ProcessAsync(int workerId, ProcessItem item)
    {
        var result = item.Result;
        using var activity = StartSpan(item, workerId);
        var output = new ProcessOutput { Truncated = item.Body?.Truncated ?? false };
        var context = new ProcessContext(result, item.Body, output, plan.Options);
        var cancellationToken = run.Aborting.Token;
        var started = timeProvider.GetTimestamp();
        if (plan.KeepsBodies && result.Bytes > 0 && item.Body is not { TotalBytes: > 0 })
        {
            output.AddError("the fetcher kept no body (it does not implement the IUrlFetcher overload that takes a ResponseBody)");
        }

        foreach (var step in plan.Steps)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                output.AddError($"{step.Name}: not run: run stopped");
                continue;
            }

            try
            {
                await step.ProcessAsync(context, cancellationToken);
            }
            catch (Exception ex)
            {
                // One result's failure is that result's processing error, never the end of the worker.
                output.AddError(step.Name, ex);
                if (ex is not OperationCanceledException)
                {
                    Log.ProcessorThrew(logger, step.Name, redactor.ForTelemetry(result.Url), result.Source, result.Line, ex);
                }
            }
        }

        output.Duration = timeProvider.GetElapsedTime(started);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SpanAttributes.ProcessTruncated, output.Truncated);
            if (output.Error is { } error)
            {
                activity.SetTag(SpanAttributes.ErrorType, "process_error");
                activity.SetStatus(ActivityStatusCode.Error, redactor.TextForTelemetry(error));
            }
        }

        return result with { Process = output };
    }

    // Beside the fetch span, not inside it: the same parent (the run, or the trace a broker message
    // was published in), and a link back to the fetch, so the trace shows two kinds of work.
    private Activity? StartSpan(ProcessItem item, int workerId)
    {
        var result = item.Result;
        var links = item.FetchSpan == default ? null : new[] { new ActivityLink(item.FetchSpan) };
        var activity = result.Delivery?.ParentContext is { } remote
            ? PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.ProcessSpanName, ActivityKind.Internal, remote, links: links)
            : PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.ProcessSpanName, ActivityKind.Internal, parentContext: default, links: links);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SpanAttributes.UrlFull, redactor.ForTelemetry(result.Url));
            activity.SetTag(SpanAttributes.Source, result.Source);
            activity.SetTag(SpanAttributes.Line, result.Line);
            activity.SetTag(SpanAttributes.ProcessWorker, workerId);
            activity.SetTag(SpanAttributes.ProcessSteps, _steps);
            activity.SetTag(SpanAttributes.Bytes, item.Body?.Memory.Length ?? 0);
        }

        return activity;
    }
}
