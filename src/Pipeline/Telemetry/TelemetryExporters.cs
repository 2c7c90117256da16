namespace Pipeline.Telemetry;

/// <summary>Where spans (and, for OTLP, metrics) are sent; several may be combined, as in <c>"Console, Otlp"</c>.</summary>
/// <remarks>
/// The overlap figures, the text timeline and the HTML report do not depend on this setting: they
/// come from an in-process collector that sees every span, whatever is exported.
/// </remarks>
[Flags]
#pragma warning disable CA1714 // A flags enum named in the plural reads as the setting it is ("Exporters").
public enum TelemetryExporters
#pragma warning restore CA1714
{
    /// <summary>Nothing leaves the process.</summary>
    None = 0,

    /// <summary>
    /// OpenTelemetry.Exporter.Console: every span as the multi-line record OpenTelemetry users know,
    /// on standard <b>output</b>. The worker then prints its summary on standard error.
    /// </summary>
    Console = 1,

    /// <summary>OpenTelemetry protocol to a collector, Jaeger, Tempo or the Aspire dashboard (traces and metrics).</summary>
    Otlp = 2,

    /// <summary>One aligned line per span on the worker's standard error, next to the progress (the demo's view).</summary>
    Compact = 4,
}
