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
    public const string ProgressInterval = "00:00:02";
    public const string RequestTimeout = "00:00:30";
    public const string UserAgent = "Pipeline/1.0 (+https://github.com/pipeline)";
    public const Telemetry.TelemetryExporters Exporters = Telemetry.TelemetryExporters.None;
    public const double SamplingRatio = 1.0;
    public const string Report = "trace-report.html";
    public const int ReportSpanLimit = 10_000;
    public const int MaxReportSpanLimit = 1_000_000;

    // How long shutdown waits for exporters to hand over the last spans and metrics.
    public const int TelemetryFlushMilliseconds = 5_000;
}
