namespace Pipeline.Processing;

/// <summary>The processing stage of one run: which steps, how many workers, how much body to keep.</summary>
public sealed class ProcessPlan
{
    /// <summary>Gets the steps, in the order they run on each result.</summary>
    public required IReadOnlyList<IResultProcessor> Steps { get; init; }

    /// <summary>Gets the number of processing workers.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>Gets the capacity of the processing channel between the fetch consumers and the workers.</summary>
    public int ChannelCapacity { get; init; } = ProcessDefaults.ChannelCapacity;

    /// <summary>Gets the most body bytes kept per result.</summary>
    public int MaxBodyBytes { get; init; } = ProcessDefaults.MaxBodyBytes;

    /// <summary>Gets the processing options of the run, for steps with settings of their own (<see cref="ProcessOptions.SaveDirectory"/>, <see cref="ProcessOptions.ListLinks"/>).</summary>
    public ProcessOptions Options { get; init; } = new();

    /// <summary>Gets a value indicating whether a step reads bodies, so the fetcher must keep them.</summary>
    public bool KeepsBodies => Steps.Any(step => step.NeedsBody);

    /// <summary>Builds the plan the options describe for a run of the given mode.</summary>
    /// <param name="options">The processing options.</param>
    /// <param name="processors">The registered processors to choose the steps from.</param>
    /// <param name="mode">The run's mode: a <see cref="PipelineMode.Sequential"/> run processes on one worker, as it fetches on one consumer.</param>
    /// <returns>The plan, or <see langword="null"/> when no step is chosen.</returns>
    public static ProcessPlan? From(ProcessOptions options, IEnumerable<IResultProcessor> processors, PipelineMode mode)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(processors);
        var names = options.StepNames();
        if (names.Count == 0)
        {
            return null;
        }

        var all = processors.ToList();
        var steps = names
            .Select(name => all.LastOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                ?? throw new InvalidOperationException($"No processor named '{name}' is registered."))
            .ToList();
        return new ProcessPlan
        {
            Steps = steps,
            Parallelism = mode == PipelineMode.Sequential ? 1 : options.Parallelism,
            ChannelCapacity = options.ChannelCapacity,
            MaxBodyBytes = options.MaxBodyBytes,
            Options = options,
        };
    }
}
