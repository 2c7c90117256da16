using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Pipeline.Telemetry;

/// <summary>The product's one <see cref="ActivitySource"/> and one <see cref="Meter"/>, and the names they use.</summary>
public static class PipelineTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Pipeline";

    /// <summary>The span covering one run, root of its trace.</summary>
    public const string RunSpanName = "run pipeline";

    /// <summary>The span covering one URL, from request to last body byte.</summary>
    public const string FetchSpanName = "fetch url";

    /// <summary>The span covering the processing steps of one fetched result, beside its <see cref="FetchSpanName"/> span (and linked to it).</summary>
    public const string ProcessSpanName = "process result";

    /// <summary>The span covering one producer reading its source.</summary>
    public const string ProduceSpanName = "read source";

    /// <summary>The span covering the sink stage draining the results.</summary>
    public const string SinkSpanName = "write results";

    /// <summary>The root span of a producer's run: reading the sources and publishing every line to the broker.</summary>
    public const string PublishRunSpanName = "publish urls";

    /// <summary>One message published to the work queue; its context travels in the message headers.</summary>
    public const string PublishSpanName = "publish url";

    /// <summary>Gets the activity source all pipeline spans come from.</summary>
    public static ActivitySource ActivitySource { get; } = new(Name, typeof(PipelineTelemetry).Assembly.GetName().Version?.ToString());

    /// <summary>Gets the meter all pipeline instruments come from.</summary>
    public static Meter Meter { get; } = new(Name, typeof(PipelineTelemetry).Assembly.GetName().Version?.ToString());
}
