using Microsoft.Extensions.Configuration;

namespace Pipeline.Worker.Hosting;

/// <summary>The worker host's own keys of the <c>Pipeline</c> section: how it runs and how URLs travel.</summary>
/// <remarks>
/// They sit beside the pipeline's settings (<c>Pipeline:RunMode</c>, <c>Pipeline:Transport</c>) but
/// belong to the host: the pipeline library runs batches and knows nothing of services or brokers.
/// Both are read once at start-up; a change in a running service is logged as needing a restart.
/// </remarks>
internal sealed class WorkerOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>Gets or sets whether the host runs one batch and exits, or stays up as a service.</summary>
    /// <value>The default value is <see cref="RunMode.Batch"/>.</value>
    public RunMode RunMode { get; set; } = RunMode.Batch;

    /// <summary>Gets or sets how URLs travel from the sources to the consumers.</summary>
    /// <value>
    /// The default value is <see cref="PipelineTransport.Channels"/>: in-process. <see cref="PipelineTransport.RabbitMq"/>
    /// takes its connection and role from the <c>Pipeline:RabbitMq</c> section.
    /// </value>
    public PipelineTransport Transport { get; set; } = PipelineTransport.Channels;

    /// <summary>
    /// Reads the two keys as registration needs them, before the container exists: which hosted
    /// service and which transport to register depends on them.
    /// </summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns>The values, or the defaults for a value that does not parse (validation then stops the host before anything runs).</returns>
    public static WorkerOptions Peek(IConfiguration configuration) => new()
    {
        RunMode = Enum.TryParse<RunMode>(configuration[$"{SectionName}:{nameof(RunMode)}"], ignoreCase: true, out var mode) ? mode : RunMode.Batch,
        Transport = Enum.TryParse<PipelineTransport>(configuration[$"{SectionName}:{nameof(Transport)}"], ignoreCase: true, out var transport) ? transport : PipelineTransport.Channels,
    };
}
