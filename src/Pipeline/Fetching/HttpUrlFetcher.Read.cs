using System.Buffers;
using System.Runtime.CompilerServices;

namespace Pipeline.Fetching;

/// <summary>Reading the final answer of an attempt: the size limit, the body (not for <c>HEAD</c>), and what the record keeps of the headers.</summary>
internal sealed partial class HttpUrlFetcher
{
    private const int DrainBufferSize = 16 * 1024;

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<AttemptResult> ReadAsync(FetchState state, HttpFetchOptions options, RequestProfile profile, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        long bytes = 0;
        if (profile.ReadsBody)
        {
            if (response.Content.Headers.ContentLength is { } length && length > options.MaxResponseBytes)
            {
                return AttemptResult.Refused(response, 0, $"response body of {length} bytes (Content-Length) exceeds the limit of {options.MaxResponseBytes} bytes", ErrorTypes.TooLarge);
            }

            state.Phase = FetchPhase.ReadingBody;

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
                        return AttemptResult.Refused(response, bytes, $"response body exceeds the limit of {options.MaxResponseBytes} bytes; stopped reading after {bytes} bytes", ErrorTypes.TooLarge);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return new AttemptResult
        {
            StatusCode = status,
            ReasonPhrase = response.ReasonPhrase,
            ContentType = AttemptResult.ContentTypeOf(response),
            ContentLength = response.Content.Headers.ContentLength,
            Bytes = bytes,

            // An accepted status is an answer the user asked for: never retried, whatever it is.
            Transient = !profile.Accept.Contains(status) && HttpFailures.IsTransient(status),
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
}
