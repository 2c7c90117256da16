using OpenTelemetry.Trace;

namespace Pipeline.Telemetry;

/// <summary>
/// Samples traces by ratio for export, but records the rest instead of dropping them, so the
/// in-process collector still sees every span (overlap figures and report stay whole).
/// </summary>
/// <remarks>
/// OpenTelemetry's export processors skip activities without the <c>Recorded</c> flag, which is
/// exactly what <see cref="SamplingDecision.RecordOnly"/> leaves off.
/// </remarks>
/// <param name="ratio">The fraction of traces to export, 0 to 1.</param>
internal sealed class RecordEverythingSampler(double ratio) : Sampler
{
    private readonly ParentBasedSampler _export = new(new TraceIdRatioBasedSampler(ratio));

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var decision = _export.ShouldSample(samplingParameters);
        return decision.Decision == SamplingDecision.Drop ? new SamplingResult(SamplingDecision.RecordOnly) : decision;
    }
}
