using System.Runtime.CompilerServices;
using Pipeline.Telemetry;

namespace Pipeline.Fetching;

/// <summary>One attempt: its requests (the URL and the redirects it leads to) and what went wrong, in words and as an <see cref="ErrorTypes"/> value.</summary>
internal sealed partial class HttpUrlFetcher
{
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptResult> SendAndReadAsync(FetchState state, HttpFetchOptions options, RequestProfile profile, CancellationToken cancellationToken)
    {
        // One timer per attempt instead of two timers and two linked sources: it is set to the
        // earlier of the header and attempt deadlines, and once the headers are in, moved to the
        // attempt's. Which deadline fired is known from what it was set to.
        var headersDeadline = options.HeadersTimeout < options.RequestTimeout;
        var attemptStarted = _timeProvider.GetTimestamp();
        using var deadline = new CancellationTokenSource(headersDeadline ? options.HeadersTimeout : options.RequestTimeout, _timeProvider);
        using var stop = cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), deadline);
        var chain = new RedirectChain(state.Url, options.MaxRedirects);
        state.Redirects = 0;
        try
        {
            while (true)
            {
                state.Target = chain.Current;
                state.Phase = FetchPhase.WaitingForHeaders;
                using var request = profile.CreateRequest(chain.Current, state.Host);

                // The connect step and the connection streams find the request here, to keep the handler
                // from sending it a second time (AttemptWire); the value flows only into this call.
                var attempt = new AttemptWire();
                request.Options.Set(AttemptWire.Key, attempt);
                AttemptWire.Current = attempt;
                HttpResponseMessage response;
                try
                {
                    response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
                }
                catch (OperationCanceledException) when (headersDeadline && deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    return AttemptResult.Failure($"no response headers within {FetchText.Seconds(options.HeadersTimeout)}", ErrorTypes.Timeout, transient: true);
                }

                // Disposed on every path, retried or not: an undrained body would otherwise pin its connection.
                using (response)
                {
                    var left = TimeSpan.FromTicks(Math.Max(0, (options.RequestTimeout - _timeProvider.GetElapsedTime(attemptStarted)).Ticks));
                    if (chain.IsRedirect(response, out var location))
                    {
                        if (chain.Follow((int)response.StatusCode, location) is { } refusal)
                        {
                            return AttemptResult.Refused(response, 0, refusal.Error, refusal.ErrorType);
                        }

                        state.Redirects = chain.Count;

                        // The next hop waits for its headers as the first did, within what is left of the attempt.
                        headersDeadline = options.HeadersTimeout < left;
                        deadline.CancelAfter(headersDeadline ? options.HeadersTimeout : left);
                        continue;
                    }

                    if (headersDeadline)
                    {
                        deadline.CancelAfter(left);
                        headersDeadline = false;
                    }

                    return await ReadAsync(state, options, profile, response, deadline.Token);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return AttemptResult.Failure($"timed out after {FetchText.Seconds(options.RequestTimeout)} {state.PhaseText}", ErrorTypes.Timeout, transient: true);
        }
        catch (OperationCanceledException ex) when (ex.InnerException is TimeoutException timeout)
        {
            // The handler's own connect timeout.
            return AttemptResult.Failure(timeout.Message, ErrorTypes.Timeout, transient: true);
        }
        catch (HttpRequestException ex) when (HttpFailures.Find<ResendRefusedException>(ex) is not null)
        {
            // Transient: the next attempt (ours, after the back-off) is a new request.
            return AttemptResult.Failure($"{HttpRequestError.ResponseEnded}: {ResendRefusedException.Reason} ({state.PhaseText})", ErrorTypes.ResponseEnded, transient: true);
        }
        catch (HttpRequestException ex) when (HttpFailures.Find<AddressRefusedException>(ex) is { } refused)
        {
            Log.AddressRefused(_logger, _redactor.ForTelemetry(state.Url.OriginalString), refused.Message);
            return AttemptResult.Failure(refused.Message, ErrorTypes.AddressRefused, transient: false);
        }
        catch (HttpRequestException ex)
        {
            return AttemptResult.Failure(HttpFailures.Describe(ex), ErrorTypes.From(ex.HttpRequestError, ex), HttpFailures.IsTransient(ex.HttpRequestError));
        }
        catch (HttpIOException ex)
        {
            return AttemptResult.Failure($"{ex.HttpRequestError}: {ex.Message} ({state.PhaseText})", ErrorTypes.From(ex.HttpRequestError, ex), HttpFailures.IsTransient(ex.HttpRequestError));
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
}
