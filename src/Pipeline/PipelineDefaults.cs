namespace Pipeline;

/// <summary>The default of every option, in one place so docs, code and tests agree.</summary>
internal static class PipelineDefaults
{
    public const PipelineMode Mode = PipelineMode.Concurrent;
    public const int Concurrency = 10;
    public const int MaxConcurrency = 10_000;
    public const int ChannelCapacity = 100;
    public const int ResultChannelCapacity = 100;
    public const int MaxChannelCapacity = 1_000_000;
    public const string Output = "results.jsonl";
    public const DuplicatePolicy Duplicates = DuplicatePolicy.Skip;
    public const string ShutdownGrace = "00:00:10";
    public const string StateDirectory = "state";
    public const string CheckpointInterval = "00:00:05";
    public const string ProgressInterval = "00:00:02";
    public const string RequestTimeout = "00:00:30";
    public const string HeadersTimeout = "00:00:10";
    public const string TotalTimeout = "00:02:00";
    public const string ConnectTimeout = "00:00:10";
    public const string PooledConnectionLifetime = "00:02:00";
    public const long MaxResponseBytes = 10 * 1024 * 1024;
    public const int MaxRedirects = 5;
    public const int MaxMaxRedirects = 50;
    public const int MaxRateLimitPerHost = 1_000_000;
    public const string RateLimitPeriod = "00:00:01";
    public const Fetching.AddressAccess LoopbackAddresses = Fetching.AddressAccess.Allow;
    public const Fetching.AddressAccess PrivateAddresses = Fetching.AddressAccess.Allow;
    public const Fetching.AddressAccess LinkLocalAddresses = Fetching.AddressAccess.Refuse;

    // Every category that is not globally reachable is refused unless it is loopback or private.
    public const Fetching.AddressAccess RefusedByDefault = Fetching.AddressAccess.Refuse;
    public const int MaxRetries = 3;
    public const int MaxMaxRetries = 100;
    public const string RetryBaseDelay = "00:00:01";
    public const string RetryMaxDelay = "00:00:30";
    public const Fetching.CircuitBreakerMode CircuitBreakerMode = Fetching.CircuitBreakerMode.Off;
    public const double CircuitFailureRatio = 0.5;
    public const int CircuitMinimumThroughput = 10;
    public const string CircuitSamplingDuration = "00:00:30";
    public const string CircuitBreakDuration = "00:00:30";
    public const string UserAgent = "Pipeline/1.0 (+https://github.com/pipeline)";
    public const Telemetry.TelemetryExporters Exporters = Telemetry.TelemetryExporters.None;
    public const double SamplingRatio = 1.0;
    public const string Report = "trace-report.html";
    public const int ReportSpanLimit = 10_000;
    public const bool ShowQueryStrings = false;
    public const bool SummarySpans = true;

    // OpenTelemetry's semantic conventions name AWSAccessKeyId, Signature, sig and X-Goog-Signature;
    // the rest are the usual carriers of credentials in query strings. Compared case-insensitively.
    public static readonly string[] SensitiveQueryParameters =
    [
        "token", "access_token", "id_token", "refresh_token", "key", "api_key", "apikey", "sig", "signature",
        "password", "passwd", "pwd", "secret", "client_secret",
        "AWSAccessKeyId", "X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "X-Goog-Signature", "X-Goog-Credential",
    ];
    public const int MaxReportSpanLimit = 1_000_000;

    // How long shutdown waits for exporters to hand over the last spans and metrics.
    public const int TelemetryFlushMilliseconds = 5_000;
}
