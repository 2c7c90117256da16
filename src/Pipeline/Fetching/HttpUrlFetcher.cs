using System.Buffers;
using System.Net;
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
internal sealed class HttpUrlFetcher : IUrlFetcher, IDisposable
{
    private const int DrainBufferSize = 16 * 1024;

    private readonly HttpClient _client;
    private readonly LastValidOptions<HttpFetchOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly HostLimiter _hostLimiter;
    private readonly FetchResilience _resilience;
    private readonly UrlRedactor _redactor;

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
        var startedAt = _timeProvider.GetUtcNow();
        var started = _timeProvider.GetTimestamp();
        var state = new FetchState(url, options.TotalTimeout, started, _timeProvider) { Body = body };

        // The budget covers permits, attempts and back-off alike. Stopping the run cancels it too;
        // the run's own token tells the two apart.
        using var budget = new CancellationTokenSource(options.TotalTimeout, _timeProvider);
        using var stop = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), budget);
        var context = ResilienceContextPool.Shared.Get(budget.Token);
        context.Properties.Set(FetchState.Key, state);
        AttemptResult final;
        try
        {
            final = await _resilience.For(state.Host).ExecuteAsync(
                static (context, args) => args.Fetcher.AttemptAsync(args.State, args.Options, context.CancellationToken),
                context,
                (Fetcher: this, State: state, Options: options));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (BrokenCircuitException ex)
        {
            var error = $"circuit open for host {state.Host} after repeated failures{(ex.RetryAfter is { } after ? $"; next trial in {FetchText.Seconds(after)}" : null)}";
            final = AttemptResult.Failure(state.LastFailure is { } last ? $"{error}; last failure: {last}" : error, "circuit_open", transient: false);
        }
        catch (OperationCanceledException) when (budget.IsCancellationRequested)
        {
            var error = $"per-URL budget of {FetchText.Seconds(options.TotalTimeout)} exhausted {state.PhaseText} after {state.Attempts} attempt(s)";
            final = AttemptResult.Failure(state.LastFailure is { } last ? $"{error}; last failure: {last}" : error, "timeout", transient: false);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var outcome = final switch
        {
            { Error: not null } => FetchOutcome.Failed,
            { StatusCode: >= 400 } => FetchOutcome.HttpError,
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
    private async ValueTask<AttemptResult> AttemptAsync(FetchState state, HttpFetchOptions options, CancellationToken cancellationToken)
    {
        state.Phase = FetchPhase.WaitingForPermit;
        using var lease = await _hostLimiter.AcquireAsync(state.Host, cancellationToken);
        state.Attempts++;
        state.Phase = FetchPhase.WaitingForHeaders;
        var result = await SendAndReadAsync(state, options, cancellationToken);
        if (result.Error is not null || result.Transient)
        {
            state.LastFailure = result.Describe();
        }

        state.RetryAfter = result.RetryAfter ?? state.RetryAfter;

        return result;
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptResult> SendAndReadAsync(FetchState state, HttpFetchOptions options, CancellationToken cancellationToken)
    {
        // One timer per attempt instead of two timers and two linked sources: it is set to the
        // earlier of the header and attempt deadlines, and once the headers are in, moved to the
        // attempt's. Which deadline fired is known from what it was set to.
        var headersFirst = options.HeadersTimeout < options.RequestTimeout;
        var attemptStarted = _timeProvider.GetTimestamp();
        using var deadline = new CancellationTokenSource(headersFirst ? options.HeadersTimeout : options.RequestTimeout, _timeProvider);
        using var stop = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, state.Url);

            // The connect step and the connection streams find the attempt here, to keep the handler
            // from sending it a second time (AttemptWire); the value flows only into this call.
            var attempt = new AttemptWire();
            request.Options.Set(AttemptWire.Key, attempt);
            AttemptWire.Current = attempt;
            HttpResponseMessage response;
            try
            {
                response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            }
            catch (OperationCanceledException) when (headersFirst && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return AttemptResult.Failure($"no response headers within {FetchText.Seconds(options.HeadersTimeout)}", "timeout", transient: true);
            }

            if (headersFirst)
            {
                deadline.CancelAfter(TimeSpan.FromTicks(Math.Max(0, (options.RequestTimeout - _timeProvider.GetElapsedTime(attemptStarted)).Ticks)));
            }

            // Disposed on every path, retried or not: an undrained body would otherwise pin its connection.
            using (response)
            {
                return await ReadAsync(state, options, request, response, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return AttemptResult.Failure($"timed out after {FetchText.Seconds(options.RequestTimeout)} {state.PhaseText}", "timeout", transient: true);
        }
        catch (OperationCanceledException ex) when (ex.InnerException is TimeoutException timeout)
        {
            // The handler's own connect timeout.
            return AttemptResult.Failure(timeout.Message, "timeout", transient: true);
        }
        catch (HttpRequestException ex) when (Find<ResendRefusedException>(ex) is not null)
        {
            // Transient: the next attempt (ours, after the back-off) is a new request.
            return AttemptResult.Failure($"{HttpRequestError.ResponseEnded}: {ResendRefusedException.Reason} ({state.PhaseText})", "response_ended", transient: true);
        }
        catch (HttpRequestException ex) when (Find<AddressRefusedException>(ex) is { } refused)
        {
            Log.AddressRefused(_logger, _redactor.ForTelemetry(state.Url.OriginalString), refused.Message);
            return AttemptResult.Failure(refused.Message, "address_refused", transient: false);
        }
        catch (HttpRequestException ex)
        {
            return AttemptResult.Failure(Describe(ex), ErrorType(ex.HttpRequestError, ex), IsTransient(ex.HttpRequestError));
        }
        catch (HttpIOException ex)
        {
            return AttemptResult.Failure($"{ex.HttpRequestError}: {ex.Message} ({state.PhaseText})", ErrorType(ex.HttpRequestError, ex), IsTransient(ex.HttpRequestError));
        }
        catch (IOException ex)
        {
            // A connection lost mid-body: the next attempt may well get all of it.
            return AttemptResult.Failure($"{ex.Message} ({state.PhaseText})", ex.GetType().FullName!, transient: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException)
        {
            return AttemptResult.Failure($"{ex.GetType().Name}: {ex.Message}", ex.GetType().FullName!, transient: false);
        }
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptResult> ReadAsync(FetchState state, HttpFetchOptions options, HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (options.MaxRedirects > 0 && IsRedirect(response.StatusCode) && response.Headers.Location is { } location)
        {
            // The handler follows redirects itself and hands back the redirect it stopped at: past
            // the limit (a loop, typically) or a downgrade from https to http it refuses to follow.
            var from = request.RequestUri!;
            var to = location.IsAbsoluteUri ? location : new Uri(from, location);
            var why = from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp
                ? "redirect from https to http not followed"
                : $"too many redirects (more than {options.MaxRedirects}; a redirect loop?)";
            return AttemptResult.Refused(response, 0, $"{why}: {status} from {from} to {to}", "too_many_redirects");
        }

        if (response.Content.Headers.ContentLength is { } length && length > options.MaxResponseBytes)
        {
            return AttemptResult.Refused(response, 0, $"response body of {length} bytes (Content-Length) exceeds the limit of {options.MaxResponseBytes} bytes", "response_too_large");
        }

        state.Phase = FetchPhase.ReadingBody;
        long bytes = 0;

        // A retried attempt reads the body from its start again.
        state.Body?.Reset();
        var buffer = ArrayPool<byte>.Shared.Rent(DrainBufferSize);
        try
        {
            // The stream is the decoded one (automatic decompression), so the limit holds for
            // bodies that expand and for bodies without Content-Length alike.
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                bytes += read;
                state.Body?.Append(buffer.AsSpan(0, read));
                if (bytes > options.MaxResponseBytes)
                {
                    return AttemptResult.Refused(response, bytes, $"response body exceeds the limit of {options.MaxResponseBytes} bytes; stopped reading after {bytes} bytes", "response_too_large");
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return new AttemptResult
        {
            StatusCode = status,
            ReasonPhrase = response.ReasonPhrase,
            Bytes = bytes,
            Transient = IsTransient(response.StatusCode),
            RetryAfter = RetryAfter(response),
        };
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,

        // An HTTP-date in the past means "now".
        { Date: { } date } => date - _timeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static bool IsTransient(HttpStatusCode status)
        => status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    private static bool IsTransient(HttpRequestError error) => error switch
    {
        HttpRequestError.ConnectionError or HttpRequestError.ResponseEnded or HttpRequestError.HttpProtocolError or HttpRequestError.Unknown => true,

        // Unknown names, TLS failures, malformed answers: the same request will fail the same way.
        _ => false,
    };

    // The names .NET's own http.client metrics use for error.type, so dashboards line up.
    private static string ErrorType(HttpRequestError error, Exception ex) => error switch
    {
        HttpRequestError.NameResolutionError => "name_resolution_error",
        HttpRequestError.ConnectionError => "connection_error",
        HttpRequestError.SecureConnectionError => "secure_connection_error",
        HttpRequestError.HttpProtocolError => "http_protocol_error",
        HttpRequestError.ExtendedConnectNotSupported => "extended_connect_not_supported",
        HttpRequestError.VersionNegotiationError => "version_negotiation_error",
        HttpRequestError.UserAuthenticationError => "user_authentication_error",
        HttpRequestError.ProxyTunnelError => "proxy_tunnel_error",
        HttpRequestError.InvalidResponse => "invalid_response",
        HttpRequestError.ResponseEnded => "response_ended",
        HttpRequestError.ConfigurationLimitExceeded => "configuration_limit_exceeded",
        _ => ex.GetType().FullName ?? "_OTHER",
    };

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found
        or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect or HttpStatusCode.PermanentRedirect;

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }

    private static string Describe(HttpRequestException ex)
    {
        // The outer message is generic ("An error occurred while sending the request"); the
        // inner one names the cause (connection refused, reset, name not resolved).
        var inner = ex.InnerException?.Message;
        var kind = ex.HttpRequestError == HttpRequestError.Unknown ? null : ex.HttpRequestError.ToString();
        return (kind, inner) switch
        {
            (not null, not null) => $"{kind}: {inner}",
            (not null, null) => $"{kind}: {ex.Message}",
            (null, not null) => inner,
            _ => ex.Message,
        };
    }
}
