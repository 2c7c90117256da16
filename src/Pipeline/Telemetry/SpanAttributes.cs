namespace Pipeline.Telemetry;

/// <summary>The attribute names the pipeline's spans carry: OpenTelemetry HTTP conventions, then our own under <c>pipeline.*</c>.</summary>
internal static class SpanAttributes
{
    public const string UrlFull = "url.full";
    public const string HttpRequestMethod = "http.request.method";
    public const string HttpResponseStatusCode = "http.response.status_code";
    public const string ServerAddress = "server.address";
    public const string ServerPort = "server.port";
    public const string ErrorType = "error.type";

    public const string Mode = "pipeline.mode";
    public const string Concurrency = "pipeline.concurrency";
    public const string ChannelCapacity = "pipeline.channel.capacity";
    public const string Sources = "pipeline.sources";
    public const string Urls = "pipeline.urls";
    public const string Source = "pipeline.source";
    public const string Items = "pipeline.items";
    public const string Line = "pipeline.line";
    public const string ConsumerId = "pipeline.consumer.id";
    public const string Attempt = "pipeline.attempt";
    public const string Bytes = "pipeline.bytes";
    public const string ChannelWaitMs = "pipeline.channel.wait_ms";
    public const string Outcome = "pipeline.outcome";
    public const string Reason = "pipeline.reason";
    public const string RetryDelayMs = "pipeline.retry.delay_ms";
}
