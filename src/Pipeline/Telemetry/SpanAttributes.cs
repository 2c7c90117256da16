namespace Pipeline.Telemetry;

/// <summary>The attribute names the pipeline's spans carry: OpenTelemetry HTTP conventions, then our own under <c>pipeline.*</c>.</summary>
public static class SpanAttributes
{
    /// <summary>The URL fetched, credentials redacted (OpenTelemetry HTTP conventions).</summary>
    public const string UrlFull = "url.full";

    /// <summary>The HTTP method.</summary>
    public const string HttpRequestMethod = "http.request.method";

    /// <summary>The status code of the final response.</summary>
    public const string HttpResponseStatusCode = "http.response.status_code";

    /// <summary>The host the URL names.</summary>
    public const string ServerAddress = "server.address";

    /// <summary>The port the URL names.</summary>
    public const string ServerPort = "server.port";

    /// <summary>The low-cardinality kind of failure.</summary>
    public const string ErrorType = "error.type";

    /// <summary>The run's mode, as <see cref="WireNames.Mode"/> writes it.</summary>
    public const string Mode = "pipeline.mode";

    /// <summary>The number of consumers.</summary>
    public const string Concurrency = "pipeline.concurrency";

    /// <summary>The work channel's capacity.</summary>
    public const string ChannelCapacity = "pipeline.channel.capacity";

    /// <summary>The number of sources.</summary>
    public const string Sources = "pipeline.sources";

    /// <summary>The number of results a run wrote.</summary>
    public const string Urls = "pipeline.urls";

    /// <summary>The name of the source an item came from.</summary>
    public const string Source = "pipeline.source";

    /// <summary>The number of items a producer read.</summary>
    public const string Items = "pipeline.items";

    /// <summary>The item's line (or position) in its source.</summary>
    public const string Line = "pipeline.line";

    /// <summary>The consumer that settled the item.</summary>
    public const string ConsumerId = "pipeline.consumer.id";

    /// <summary>The number of requests sent for the URL.</summary>
    public const string Attempt = "pipeline.attempt";

    /// <summary>The body bytes read.</summary>
    public const string Bytes = "pipeline.bytes";

    /// <summary>How long the item waited in the work channel, in milliseconds.</summary>
    public const string ChannelWaitMs = "pipeline.channel.wait_ms";

    /// <summary>How the item ended, as <see cref="WireNames.Outcome"/> writes it.</summary>
    public const string Outcome = "pipeline.outcome";

    /// <summary>Why a retry or refusal happened.</summary>
    public const string Reason = "pipeline.reason";

    /// <summary>The delay before the next attempt, in milliseconds.</summary>
    public const string RetryDelayMs = "pipeline.retry.delay_ms";

    /// <summary>The processing worker that processed the result.</summary>
    public const string ProcessWorker = "pipeline.process.worker";

    /// <summary>The processing steps, comma-separated, as <c>Pipeline:Process:Steps</c> lists them.</summary>
    public const string ProcessSteps = "pipeline.process.steps";

    /// <summary>Whether the body was cut at <c>Pipeline:Process:MaxBodyBytes</c> before processing.</summary>
    public const string ProcessTruncated = "pipeline.process.truncated";
}
