using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Pipeline.Sources;
using Pipeline.Telemetry;

namespace Pipeline.Fetching;

/// <summary>
/// Fetches with a named <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>, streaming the
/// body, through a resilience pipeline: per-host permits, per-attempt and header timeouts, retries
/// of transient failures within a per-URL budget, and a limit on the decoded body size.
/// </summary>
/// <remarks>
/// Partial by concern: this file runs a URL through its attempts and builds the result;
/// <c>HttpUrlFetcher.Send.cs</c> sends one attempt, following its redirects, and turns what went wrong
/// into a reason; <c>HttpUrlFetcher.Read.cs</c> reads the answer.
/// </remarks>
internal sealed partial class HttpUrlFetcher : IUrlFetcher, IDisposable
{
    private readonly HttpClient _client;
    private readonly LastValidOptions<HttpFetchOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HostLimiter _hostLimiter;
    private readonly FetchResilience _resilience;
    private readonly UrlRedactor _redactor;
    private RequestProfile _profile;

    /// <remarks>
    /// Host limits, retry and circuit settings are read once: the limiters hold per-host state (queues,
    /// buckets) that a reload must not drop under waiting consumers. Timeouts and the size limit
    /// are read per URL.
    /// </remarks>
    public HttpUrlFetcher(
        IHttpClientFactory httpClientFactory,
        IOptionsMonitor<HttpFetchOptions> options,
        IOptions<HttpRetryOptions> retryOptions,
        IOptions<HttpCircuitBreakerOptions> circuitBreakerOptions,
        TimeProvider timeProvider,
        ILogger<HttpUrlFetcher> logger,
        UrlRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(retryOptions);
        ArgumentNullException.ThrowIfNull(circuitBreakerOptions);
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        _options = new LastValidOptions<HttpFetchOptions>(options);
        _timeProvider = timeProvider;
        _logger = logger;
        _hostLimiter = HostLimiter.From(options.CurrentValue);
        _redactor = redactor;
        _resilience = new FetchResilience(retryOptions.Value, circuitBreakerOptions.Value, timeProvider, logger, redactor);

        // The handler and the client's defaults are built from IOptions<HttpFetchOptions>, which reads
        // the configuration on first use: build them now, while it is valid, so that an invalid edit
        // of a running service's appsettings.json cannot fail the first fetch. One client for the
        // fetcher's lifetime (the handler never rotates, SetHandlerLifetime(Infinite)): a client per
        // attempt cost a new HttpClient and a parse of the User-Agent header every request.
        _client = httpClientFactory.CreateClient(PipelineHttpClient.Name);
        _profile = new RequestProfile(_options.Value);
    }

    // Pooled builders: these four run once or more per URL, and their boxed state machines were
    // a large share of the bytes allocated per request.
    public ValueTask<FetchResult> FetchAsync(WorkItem item, CancellationToken cancellationToken) => FetchAsync(item, body: null, cancellationToken);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<FetchResult> FetchAsync(WorkItem item, Processing.ResponseBody? body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var url = item.Url ?? throw new ArgumentException("Only valid items are fetched.", nameof(item));
        var options = _options.Value;
        var profile = ProfileOf(options);
        var startedAt = _timeProvider.GetUtcNow();
        var started = _timeProvider.GetTimestamp();
        var state = new FetchState(url, options.TotalTimeout, started, _timeProvider) { Body = body };

        // The budget covers permits, attempts and back-off alike. Stopping the run cancels it too;
        // the run's own token tells the two apart.
        using var budget = new CancellationTokenSource(options.TotalTimeout, _timeProvider);
        using var stop = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), budget);
        var context = ResilienceContextPool.Shared.Get(budget.Token);
        context.Properties.Set(FetchState.Key, state);
        if (profile.Method != HttpMethod.Get && Activity.Current is { IsAllDataRequested: true } span && span.Source == PipelineTelemetry.ActivitySource)
        {
            // The consumer stage opened this URL's span knowing nothing of the method; HEAD is ours to tell.
            span.SetTag(SpanAttributes.HttpRequestMethod, profile.Method.Method);
        }

        AttemptResult final;
        try
        {
            final = await _resilience.For(state.Host).ExecuteAsync(
                static (context, args) => args.Fetcher.AttemptAsync(args.State, args.Options, args.Profile, context.CancellationToken),
                context,
                (Fetcher: this, State: state, Options: options, Profile: profile));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException ex)
        {
            var error = $"circuit open for host {state.Host} after repeated failures{(ex.RetryAfter is { } after ? $"; next trial in {FetchText.Seconds(after)}" : null)}";
            final = AttemptResult.Failure(state.LastFailure is { } last ? $"{error}; last failure: {last}" : error, ErrorTypes.CircuitOpen, transient: false);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            var error = $"per-URL budget of {FetchText.Seconds(options.TotalTimeout)} exhausted {state.PhaseText} after {state.Attempts} attempt(s)";
            final = AttemptResult.Failure(state.LastFailure is { } last ? $"{error}; last failure: {last}" : error, ErrorTypes.Timeout, transient: false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        // The accept-list decides what an answer is: by default 1xx-3xx succeed and 4xx/5xx do not.
        var outcome = final switch
        {
            { Error: not null } => FetchOutcome.Failed,
            { StatusCode: { } status } when !profile.Accept.Contains(status) => FetchOutcome.HttpError,
            _ => FetchOutcome.Succeeded,
        };
        var reason = outcome == FetchOutcome.Succeeded ? null : final.Describe();
        if (reason is not null && final.RetryNote is { } note)
        {
            reason = $"{reason} ({note})";
        }

        return new FetchResult
        {
            Url = item.Text,
            Source = item.Source,
            Line = item.Line,
            Outcome = outcome,
            StatusCode = final.StatusCode,
            Bytes = final.Bytes,
            FinalUrl = state.Target is not { } target ? null : ReferenceEquals(target, state.Url) ? item.Text : target.AbsoluteUri,
            Redirects = state.Redirects,
            ContentType = final.ContentType,
            ContentLength = final.ContentLength,
            StartedAt = startedAt,
            Duration = _timeProvider.GetElapsedTime(started),
            Attempts = state.Attempts,
            Error = reason,
            ErrorType = outcome == FetchOutcome.Failed ? final.ErrorType : null,
            RetryAfter = state.RetryAfter,
        };
    }

    public void Dispose() => _hostLimiter.Dispose();

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptResult> AttemptAsync(FetchState state, HttpFetchOptions options, RequestProfile profile, CancellationToken cancellationToken)
    {
        state.Phase = FetchPhase.WaitingForPermit;
        using var lease = await _hostLimiter.AcquireAsync(state.Host, cancellationToken);
        state.Attempts++;
        state.Phase = FetchPhase.WaitingForHeaders;
        var result = await SendAndReadAsync(state, options, profile, cancellationToken);
        if (result.Error is not null || result.Transient)
        {
            state.LastFailure = result.Describe();
        }

        state.RetryAfter = result.RetryAfter ?? state.RetryAfter;

        return result;
    }

    // Made again only when the settings change (a reload of a running service's appsettings.json).
    private RequestProfile ProfileOf(HttpFetchOptions options)
    {
        var profile = Volatile.Read(ref _profile);
        if (!ReferenceEquals(profile.Options, options))
        {
            profile = new RequestProfile(options);
            Volatile.Write(ref _profile, profile);
        }

        return profile;
    }
}
