using System.Buffers;
using System.Globalization;
using Microsoft.Extensions.Options;
using Pipeline.Sources;

namespace Pipeline.Fetching;

/// <summary>Fetches with a named <see cref="HttpClient"/> from <see cref="IHttpClientFactory"/>, streaming the body.</summary>
internal sealed class HttpUrlFetcher(
    IHttpClientFactory httpClientFactory,
    IOptionsMonitor<HttpFetchOptions> options,
    TimeProvider timeProvider) : IUrlFetcher
{

    private const int DrainBufferSize = 16 * 1024;

    public async ValueTask<FetchResult> FetchAsync(WorkItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var url = item.Url ?? throw new ArgumentException("Only valid items are fetched.", nameof(item));
        var timeout = options.CurrentValue.RequestTimeout;
        var startedAt = timeProvider.GetUtcNow();
        var started = timeProvider.GetTimestamp();
        int? status = null;
        long bytes = 0;

        // One deadline for headers and body together: HttpClient.Timeout would not cover the body
        // read, and a linked source tells our timeout apart from the run being stopped.
        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var buffer = ArrayPool<byte>.Shared.Rent(DrainBufferSize);
        try
        {
            var client = httpClientFactory.CreateClient(PipelineHttpClient.Name);
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            status = (int)response.StatusCode;
            await using var body = await response.Content.ReadAsStreamAsync(linked.Token);
            int read;
            while ((read = await body.ReadAsync(buffer, linked.Token)) > 0)
            {
                bytes += read;
            }

            var outcome = status >= 400 ? FetchOutcome.HttpError : FetchOutcome.Succeeded;
            return Result(outcome, error: outcome == FetchOutcome.HttpError ? $"HTTP {status} {response.ReasonPhrase}" : null, errorType: null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
        {
            var phase = status is null ? "waiting for the response headers" : "reading the body";
            return Result(FetchOutcome.Failed, $"timed out after {timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s {phase}", "timeout");
        }
        catch (HttpRequestException ex)
        {
            return Result(FetchOutcome.Failed, Describe(ex), ErrorType(ex));
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or NotSupportedException or OperationCanceledException)
        {
            return Result(FetchOutcome.Failed, $"{ex.GetType().Name}: {ex.Message}", ex.GetType().FullName);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        FetchResult Result(FetchOutcome outcome, string? error, string? errorType) => new()
        {
            Url = item.Text,
            Source = item.Source,
            Line = item.Line,
            Outcome = outcome,
            StatusCode = status,
            Bytes = bytes,
            StartedAt = startedAt,
            Duration = timeProvider.GetElapsedTime(started),
            Attempts = 1,
            Error = error,
            ErrorType = errorType,
        };
    }

    // The names .NET's own http.client metrics use for error.type, so dashboards line up.
    private static string ErrorType(HttpRequestException ex) => ex.HttpRequestError switch
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
            (null, not null) => $"{ex.Message} ({inner})",
            _ => ex.Message,
        };
    }
}
