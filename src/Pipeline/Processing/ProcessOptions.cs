using System.ComponentModel.DataAnnotations;

namespace Pipeline.Processing;

/// <summary>Options of the <c>Pipeline:Process</c> section: the optional processing stage after the fetch.</summary>
public sealed class ProcessOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline:Process";

    /// <summary>Gets or sets the steps, comma-separated, in the order they run: <c>title</c>, <c>links</c>, <c>sha256</c>, <c>save</c>, or the
    /// <see cref="IResultProcessor.Name"/> of a processor registered in DI. <c>--process</c> on the command line.</summary>
    /// <value>The default value is empty: no processing stage, bodies are read and dropped.</value>
    public string Steps { get; set; } = string.Empty;

    /// <summary>Gets or sets how many processing workers run, separate from the fetch consumers.</summary>
    /// <value>The default value is the number of cores (<see cref="Environment.ProcessorCount"/>). Allowed: 1 to 1024.</value>
    /// <remarks>Processing is CPU work: more workers than cores only take turns. A <see cref="PipelineMode.Sequential"/> run uses one.</remarks>
    [Range(1, ProcessDefaults.MaxParallelism)]
    public int Parallelism { get; set; } = Environment.ProcessorCount;

    /// <summary>Gets or sets how many fetched results (with their bodies) may wait for a processing worker.</summary>
    /// <value>The default value is 8. Allowed: 1 to 10000.</value>
    /// <remarks>Small on purpose: each waiting result may hold up to <see cref="MaxBodyBytes"/> of body.</remarks>
    [Range(1, ProcessDefaults.MaxChannelCapacity)]
    public int ChannelCapacity { get; set; } = ProcessDefaults.ChannelCapacity;

    /// <summary>Gets or sets the most body bytes kept per result for the steps that read the body.</summary>
    /// <value>The default value is 1 MiB (1048576). Allowed: 1024 to 1 GiB.</value>
    /// <remarks>
    /// A longer body is processed from its first <see cref="MaxBodyBytes"/> and its <c>process</c> object says
    /// <c>"truncated": true</c>. Bodies alive at once are at most one per fetch consumer, one per channel slot and
    /// one per worker, so the stage holds at most <c>MaxBodyBytes × (consumers + ChannelCapacity + Parallelism)</c>.
    /// </remarks>
    [Range(ProcessDefaults.MinMaxBodyBytes, ProcessDefaults.MaxMaxBodyBytes)]
    public int MaxBodyBytes { get; set; } = ProcessDefaults.MaxBodyBytes;

    /// <summary>Gets or sets the folder the <c>save</c> step writes bodies to, named by their SHA-256 (<c>ab/abcdef….body</c>).</summary>
    /// <value>The default value is <c>saved</c> (relative to the working directory).</value>
    [Required(AllowEmptyStrings = false)]
    public string SaveDirectory { get; set; } = ProcessDefaults.SaveDirectory;

    /// <summary>Gets or sets a value indicating whether the <c>links</c> step also lists the absolute links it found (<c>linkList</c>), not only their count.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool ListLinks { get; set; }

    /// <summary>Gets the step names of <see cref="Steps"/>, trimmed, in order.</summary>
    /// <returns>The names; empty when there is no processing stage.</returns>
    public IReadOnlyList<string> StepNames() => Steps.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
