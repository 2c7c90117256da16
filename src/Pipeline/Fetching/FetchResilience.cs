using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Pipeline.Telemetry;

namespace Pipeline.Fetching;

/// <summary>Builds the resilience pipeline that runs the attempts of one URL.</summary>
internal static class FetchResilience
{
    public static ResiliencePipeline<AttemptResult> Create(HttpRetryOptions retry, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(retry);
        var builder = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = timeProvider };
        if (retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptResult>
            {
                MaxRetryAttempts = retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = retry.BaseDelay,
                MaxDelay = retry.MaxDelay,

                // Only results: attempts turn a URL's failures into results, and what escapes as an
                // exception is cancellation (run stopped, budget spent), which must end the URL.
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome.Result, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result?.RetryAfter),
                OnRetry = args => OnRetry(args, logger),
            });
        }

        return builder.Build();
    }

    private static bool ShouldRetry(AttemptResult? result, ResilienceContext context)
    {
        if (result is not { Transient: true })
        {
            return false;
        }

        // Waiting longer than the budget allows would only end in a timeout: report the server's
        // answer now, saying why it was not retried.
        if (result.RetryAfter is { } retryAfter && context.Properties.TryGetValue(FetchState.Key, out var state) && retryAfter > state.Remaining)
        {
            result.RetryNote = $"Retry-After {FetchText.Seconds(retryAfter)} exceeds the remaining budget of {FetchText.Seconds(state.Remaining)}, not retried";
            return false;
        }

        return true;
    }

    private static ValueTask OnRetry(OnRetryArguments<AttemptResult> args, ILogger logger)
    {
        var reason = args.Outcome.Result?.Describe() ?? args.Outcome.Exception?.Message ?? "unknown";
        if (args.Context.Properties.TryGetValue(FetchState.Key, out var state))
        {
            state.Phase = "waiting to retry";
            Log.RetryScheduled(logger, state.Url.OriginalString, state.Attempts, args.RetryDelay.TotalMilliseconds, reason);
        }

        Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            ["pipeline.attempt"] = args.AttemptNumber + 1,
            ["pipeline.retry.delay_ms"] = args.RetryDelay.TotalMilliseconds,
            ["pipeline.retry.reason"] = reason,
        }));
        return ValueTask.CompletedTask;
    }
}
