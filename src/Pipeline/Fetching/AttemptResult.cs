namespace Pipeline.Fetching;

/// <summary>What one attempt came to. The response is already disposed: nothing here needs cleaning up between retries.</summary>
internal sealed class AttemptResult
{
    /// <summary>Gets the status of the response, when one arrived.</summary>
    public int? StatusCode { get; init; }

    /// <summary>Gets the reason phrase of the response, when one arrived.</summary>
    public string? ReasonPhrase { get; init; }

    /// <summary>Gets the decoded body bytes read.</summary>
    public long Bytes { get; init; }

    /// <summary>Gets the <c>Content-Type</c> header of the response, as sent.</summary>
    public string? ContentType { get; init; }

    /// <summary>Gets the <c>Content-Length</c> header of the response (absent after decompression, which drops it).</summary>
    public long? ContentLength { get; init; }

    /// <summary>Gets why the attempt failed without a usable answer, or <see langword="null"/> when the server answered.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the low-cardinality kind of <see cref="Error"/> (<c>timeout</c>, <c>connection_error</c> ...), for <see cref="FetchResult.ErrorType"/>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Gets a value indicating whether another attempt may fare better (connect errors, timeouts, 408, 429, 5xx).</summary>
    public bool Transient { get; init; }

    /// <summary>Gets the delay the server asked for with <c>Retry-After</c>, if any.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>Gets a note added when the retry strategy declined to retry for a reason of its own.</summary>
    public string? RetryNote { get; set; }

    /// <summary>Gets the failure as one phrase: the error, or the status line.</summary>
    public string Describe() => Error ?? $"HTTP {StatusCode} {ReasonPhrase}".TrimEnd();

    public static AttemptResult Failure(string error, string errorType, bool transient) => new() { Error = error, ErrorType = errorType, Transient = transient };

    /// <summary>An answer the fetcher will not accept (past a limit), keeping its status and headers for the record.</summary>
    public static AttemptResult Refused(HttpResponseMessage response, long bytes, string error, string errorType) => new()
    {
        ErrorType = errorType,
        StatusCode = (int)response.StatusCode,
        ReasonPhrase = response.ReasonPhrase,
        ContentType = ContentTypeOf(response),
        ContentLength = response.Content.Headers.ContentLength,
        Bytes = bytes,
        Error = error,
    };

    /// <summary>The <c>Content-Type</c> as the server wrote it, without parsing it into a media type object.</summary>
    public static string? ContentTypeOf(HttpResponseMessage response)
        => response.Content.Headers.NonValidated.TryGetValues("Content-Type", out var values) ? values.ToString() : null;
}
