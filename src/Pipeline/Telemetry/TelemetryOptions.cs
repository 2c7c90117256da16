using System.ComponentModel.DataAnnotations;

namespace Pipeline.Telemetry;

/// <summary>Options of the <c>Pipeline:Telemetry</c> configuration section: exporters, sampling and the trace report.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Telemetry";

    /// <summary>Gets or sets where spans are exported: <c>None</c>, <c>Console</c>, <c>Otlp</c>, or a comma-separated combination.</summary>
    /// <value>The default value is <see cref="TelemetryExporters.None"/>.</value>
    public TelemetryExporters Exporters { get; set; } = PipelineDefaults.Exporters;

    /// <summary>Gets or sets the fraction of runs (traces) whose spans are exported.</summary>
    /// <value>The default value is 1 (every run). Allowed: 0 to 1.</value>
    /// <remarks>
    /// Sampling decides per trace, so a run is exported whole or not at all. Spans that are not
    /// sampled are still recorded in process: the overlap figures and the report stay complete.
    /// </remarks>
    [Range(0.0, 1.0)]
    public double SamplingRatio { get; set; } = PipelineDefaults.SamplingRatio;

    /// <summary>Gets or sets the base address of the OTLP receiver, such as <c>http://localhost:4317</c>.</summary>
    /// <value>
    /// The default value is <see langword="null"/>: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> if set, otherwise
    /// <c>http://localhost:4317</c> (gRPC) or <c>http://localhost:4318</c> (HTTP).
    /// </value>
    /// <remarks>With <see cref="OtlpProtocol.HttpProtobuf"/>, <c>v1/traces</c> and <c>v1/metrics</c> are appended, as for the variable.</remarks>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>Gets or sets the OTLP transport.</summary>
    /// <value>The default value is <see langword="null"/>: <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> if set, otherwise <see cref="OtlpProtocol.Grpc"/>.</value>
    public OtlpProtocol? OtlpProtocol { get; set; }

    /// <summary>Gets or sets the path of the HTML trace report written at the end of each batch; empty switches it off.</summary>
    /// <value>The default value is <c>trace-report.html</c>. Relative paths are resolved against the working directory.</value>
    public string? Report { get; set; } = PipelineDefaults.Report;

    /// <summary>Gets or sets how many fetch spans of one run are kept for the report and the text timeline.</summary>
    /// <value>The default value is 10000. Allowed: 1 to 1000000.</value>
    /// <remarks>Memory stays bounded on huge inputs; the overlap figures still count every span, and the report says when it was capped.</remarks>
    [Range(1, PipelineDefaults.MaxReportSpanLimit)]
    public int ReportSpanLimit { get; set; } = PipelineDefaults.ReportSpanLimit;
}
