using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Pipeline.Telemetry;

namespace Pipeline.Fetching;

/// <summary>The resilience pipelines that run the attempts of a URL: retries outside, the host's circuit (if any) inside.</summary>
/// <remarks>
/// Without circuits one pipeline serves every host. With them each host gets its own pipeline,
/// because a circuit's state is its host's; pipelines are kept for the fetcher's lifetime, one
/// small object per distinct host.
/// </remarks>
internal sealed class FetchResilience
{
    private readonly HttpRetryOptions _retry;
    private readonly HttpCircuitBreakerOptions _breaker;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly UrlRedactor _redactor;
    private readonly ResiliencePipeline<AttemptResult>? _shared;
    private readonly ConcurrentDictionary<string, ResiliencePipeline<AttemptResult>> _perHost = new(StringComparer.OrdinalIgnoreCase);

    public FetchResilience(HttpRetryOptions retry, HttpCircuitBreakerOptions breaker, TimeProvider timeProvider, ILogger logger, UrlRedactor redactor)
    {
        _redactor = redactor;
        ArgumentNullException.ThrowIfNull(retry);
        ArgumentNullException.ThrowIfNull(breaker);
        _retry = retry;
        _breaker = breaker;
        _timeProvider = timeProvider;
        _logger = logger;
        if (breaker.Mode == CircuitBreakerMode.Off)
        {
            _shared = Build(host: null);
        }
    }

    public ResiliencePipeline<AttemptResult> For(string host) => _shared ?? _perHost.GetOrAdd(host, Build);

    private ResiliencePipeline<AttemptResult> Build(string? host)
    {
        var builder = new ResiliencePipelineBuilder<AttemptResult> { TimeProvider = _timeProvider };
        if (_retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<AttemptResult>
            {
                MaxRetryAttempts = _retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _retry.BaseDelay,
                MaxDelay = _retry.MaxDelay,

                // Only results: attempts turn a URL's failures into results, and what escapes as an
                // exception (run stopped, budget spent, circuit open) must end the URL.
                ShouldHandle = args => new ValueTask<bool>(ShouldRetry(args.Outcome.Result, args.Context)),
                DelayGenerator = args => new ValueTask<TimeSpan?>(args.Outcome.Result?.RetryAfter),
                OnRetry = OnRetry,
            });
        }

        if (host is not null)
        {
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptResult>
            {
                FailureRatio = _breaker.FailureRatio,
                MinimumThroughput = _breaker.MinimumThroughput,
                SamplingDuration = _breaker.SamplingDuration,
                BreakDuration = _breaker.BreakDuration,
                ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result is { Transient: true }),
                OnOpened = args =>
                {
                    Log.CircuitOpened(_logger, host, args.BreakDuration.TotalSeconds, _redactor.TextForTelemetry(args.Outcome.Result?.Describe() ?? args.Outcome.Exception?.Message) ?? "unknown");
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    Log.CircuitClosed(_logger, host);
                    return ValueTask.CompletedTask;
                },
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

    private ValueTask OnRetry(OnRetryArguments<AttemptResult> args)
    {
        // Reasons may quote URLs (a redirect's target): they go to a log line and a span event.
        var reason = _redactor.TextForTelemetry(args.Outcome.Result?.Describe() ?? args.Outcome.Exception?.Message) ?? "unknown";
        if (args.Context.Properties.TryGetValue(FetchState.Key, out var state))
        {
            state.Phase = FetchPhase.WaitingToRetry;
            Log.RetryScheduled(_logger, _redactor.ForTelemetry(state.Url.OriginalString), state.Attempts, args.RetryDelay.TotalMilliseconds, reason);
        }

        Activity.Current?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection
        {
            [SpanAttributes.Attempt] = args.AttemptNumber + 1,
            [SpanAttributes.RetryDelayMs] = args.RetryDelay.TotalMilliseconds,
            [SpanAttributes.Reason] = reason,
        }));
        return ValueTask.CompletedTask;
    }
}
