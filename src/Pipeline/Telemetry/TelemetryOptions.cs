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

    /// <summary>Gets or sets a value indicating whether the summary is drawn partly from the fetch spans (the text report's overlap figures and span timeline).</summary>
    /// <value>The default value is <see langword="true"/>. The worker sets it from <c>Pipeline:Console:Summary</c>: a line or JSON summary takes every figure from counters.</value>
    /// <remarks>
    /// When it is off, <see cref="Exporters"/> is <c>None</c> and <see cref="Report"/> is empty, nothing reads a
    /// fetch span: none is started, and HttpClient, finding no current span, neither starts its own nor sends a
    /// <c>traceparent</c> header. That is several allocations and a header per URL (issue 20).
    /// </remarks>
    public bool SummarySpans { get; set; } = PipelineDefaults.SummarySpans;

    /// <summary>Gets a value indicating whether anything reads the fetch spans: an exporter, the trace report or the summary.</summary>
    internal bool FetchSpansNeeded => Exporters != TelemetryExporters.None || !string.IsNullOrWhiteSpace(Report) || SummarySpans;

    /// <summary>Gets or sets a value indicating whether span attributes, span status, log lines and the trace report show query strings.</summary>
    /// <value>The default value is <see langword="false"/>: a query string reads <c>?*</c>, as in HttpClient's own spans.</value>
    /// <remarks>
    /// Query strings carry tokens and signatures; telemetry travels further than the results file (an OTLP
    /// collector, a shared dashboard). Even when shown, the parameters named in <see cref="SensitiveQueryParameters"/> read <c>REDACTED</c>.
    /// Userinfo (<c>user:password@</c>) is always redacted.
    /// </remarks>
    public bool ShowQueryStrings { get; set; } = PipelineDefaults.ShowQueryStrings;

    /// <summary>Gets or sets query parameters whose values telemetry shows even while <see cref="ShowQueryStrings"/> is off; the others read <c>name=*</c>.</summary>
    /// <value>The default value is empty. The shipped <c>appsettings.json</c> lists the demo's own <c>i</c>.</value>
    public IList<string> SafeQueryParameters { get; set; } = [];

    /// <summary>Gets or sets query parameters whose values are masked (<c>REDACTED</c>) in every output, the results file's <c>url</c> and <c>error</c> included.</summary>
    /// <value>
    /// The default value is empty; names listed here are masked in addition to the built-in list: <c>token</c>,
    /// <c>access_token</c>, <c>id_token</c>, <c>refresh_token</c>, <c>key</c>, <c>api_key</c>, <c>apikey</c>, <c>sig</c>,
    /// <c>signature</c>, <c>password</c>, <c>passwd</c>, <c>pwd</c>, <c>secret</c>, <c>client_secret</c>, <c>AWSAccessKeyId</c>,
    /// <c>X-Amz-Signature</c>, <c>X-Amz-Credential</c>, <c>X-Amz-Security-Token</c>, <c>X-Goog-Signature</c>, <c>X-Goog-Credential</c>.
    /// Names are compared case-insensitively, after percent-decoding.
    /// </value>
    public IList<string> SensitiveQueryParameters { get; set; } = [];
}
