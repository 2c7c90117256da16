using System.ComponentModel.DataAnnotations;

namespace Pipeline.Worker.Hosting;

/// <summary>Options of the <c>Pipeline:Demo</c> section: the local origin used when no source is configured.</summary>
internal sealed class DemoOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Demo";

    /// <summary>Gets or sets the mode the demo runs in.</summary>
    /// <value>The default value is <see cref="PipelineMode.Compare"/>: a sequential run, then a concurrent one over the same URLs.</value>
    /// <remarks>The demo's own setting, so that <c>Pipeline:Mode</c> (real input, default Concurrent) never inherits the comparison.</remarks>
    public PipelineMode Mode { get; set; } = PipelineMode.Compare;

    /// <summary>Gets or sets how many demo URLs to fetch.</summary>
    /// <value>The default value is 40. Allowed: 1 to 1000000.</value>
    [Range(1, 1_000_000)]
    public int UrlCount { get; set; } = 40;

    /// <summary>Gets or sets how long the demo origin waits before answering each request.</summary>
    /// <value>The default value is 200 milliseconds. Allowed: 0 to 1 minute.</value>
    [TimeSpanRange("00:00:00", "00:01:00")]
    public TimeSpan Latency { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Gets or sets the loopback port of the demo origin.</summary>
    /// <value>The default value is 0: a free port.</value>
    [Range(0, 65535)]
    public int Port { get; set; }
}
