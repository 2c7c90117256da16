using System.ComponentModel.DataAnnotations;

namespace Pipeline;

/// <summary>Options of the <c>Pipeline</c> configuration section.</summary>
public sealed class PipelineOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Pipeline";

    /// <summary>Gets or sets whether the worker host runs one batch and exits, or stays up as a service.</summary>
    /// <value>The default value is <see cref="RunMode.Batch"/>.</value>
    /// <remarks>Read once at start-up: changing it in a running service takes effect on the next start.</remarks>
    public RunMode RunMode { get; set; } = PipelineDefaults.RunMode;

    /// <summary>Gets or sets how consumers are arranged.</summary>
    /// <value>The default value is <see cref="PipelineMode.Concurrent"/>.</value>
    public PipelineMode Mode { get; set; } = PipelineDefaults.Mode;

    /// <summary>Gets or sets how URLs travel from the sources to the consumers.</summary>
    /// <value>The default value is <see cref="PipelineTransport.Channels"/>: in-process. <see cref="PipelineTransport.RabbitMq"/>
    /// takes its connection and role from the <c>Pipeline:RabbitMq</c> section.</value>
    public PipelineTransport Transport { get; set; } = PipelineTransport.Channels;

    /// <summary>Gets or sets the number of consumers in <see cref="PipelineMode.Concurrent"/> mode.</summary>
    /// <value>The default value is 10. Allowed: 1 to 10000.</value>
    /// <remarks>Ignored in <see cref="PipelineMode.Sequential"/> mode, which always runs one consumer.</remarks>
    [Range(1, PipelineDefaults.MaxConcurrency)]
    public int Concurrency { get; set; } = PipelineDefaults.Concurrency;

    /// <summary>Gets or sets how many URLs may wait in the work channel.</summary>
    /// <value>The default value is 100. Allowed: 1 to 1000000.</value>
    /// <remarks>
    /// The channel is bounded with <c>BoundedChannelFullMode.Wait</c>: when it is full a producer's
    /// write waits for a consumer to take an item, so a source is read no faster than it is fetched
    /// and memory stays flat whatever the size of the input.
    /// </remarks>
    [Range(1, PipelineDefaults.MaxChannelCapacity)]
    public int ChannelCapacity { get; set; } = PipelineDefaults.ChannelCapacity;

    /// <summary>Gets or sets how many results may wait for the sink.</summary>
    /// <value>The default value is 100. Allowed: 1 to 1000000.</value>
    [Range(1, PipelineDefaults.MaxChannelCapacity)]
    public int ResultChannelCapacity { get; set; } = PipelineDefaults.ResultChannelCapacity;

    /// <summary>Gets the URLs listed in configuration (a source named <c>settings</c>).</summary>
    /// <value>The default value is empty.</value>
    public IList<string> Urls { get; private set; } = [];

    /// <summary>Gets the text files to read URLs from, one URL per line; <c>#</c> starts a comment.</summary>
    /// <value>The default value is empty. Relative paths are resolved against the working directory.</value>
    public IList<string> Files { get; private set; } = [];

    /// <summary>Gets or sets the JSON-lines file results are written to.</summary>
    /// <value>The default value is <c>results.jsonl</c>.</value>
    [Required(AllowEmptyStrings = false)]
    public string Output { get; set; } = PipelineDefaults.Output;

    /// <summary>Gets or sets what to do with a URL that an earlier line of the run already gave.</summary>
    /// <value>The default value is <see cref="DuplicatePolicy.Skip"/>.</value>
    /// <remarks>Up to one million distinct URLs are remembered per run (about 40 MB); past that, repeats are fetched.</remarks>
    public DuplicatePolicy Duplicates { get; set; } = PipelineDefaults.Duplicates;

    /// <summary>Gets or sets how long fetches in flight may finish when the run is asked to stop.</summary>
    /// <value>The default value is 10 seconds. Allowed: 0 to 10 minutes.</value>
    /// <remarks>Producers stop reading at once; what is not done when the grace ends is cancelled and saved as pending.</remarks>
    [TimeSpanRange("00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.Parse(PipelineDefaults.ShutdownGrace, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Gets or sets the folder for the pending URLs and source checkpoints of a stopped run.</summary>
    /// <value>The default value is <c>state</c> (relative to the working directory).</value>
    /// <remarks>The next start resumes from it: pending URLs first, then each source after its checkpoint.</remarks>
    [Required(AllowEmptyStrings = false)]
    public string StateDirectory { get; set; } = PipelineDefaults.StateDirectory;

    /// <summary>Gets or sets how often progress is logged when the console is not interactive.</summary>
    /// <value>The default value is 2 seconds.</value>
    [TimeSpanRange("00:00:00.100", "01:00:00")]
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.Parse(PipelineDefaults.ProgressInterval, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Creates a copy that can be changed without touching this instance (the options monitor's cached value).</summary>
    /// <returns>The copy, with its own <see cref="Urls"/> and <see cref="Files"/> lists.</returns>
    /// <remarks>A service uses it to send one batch's results and state to that batch's own files.</remarks>
    public PipelineOptions Clone()
    {
        // MemberwiseClone keeps every setting, including ones added later; only the lists need their own copy.
        var copy = (PipelineOptions)MemberwiseClone();
        copy.Urls = [.. Urls];
        copy.Files = [.. Files];
        return copy;
    }
}
