using Pipeline.Concurrency;
using Pipeline.Sinks;
using Pipeline.Sources;

namespace Pipeline.Running;

/// <summary>Everything one run needs: the arrangement, the sources and the sink.</summary>
public sealed class RunPlan
{
    /// <summary>Gets the mode: <see cref="PipelineMode.Sequential"/> or <see cref="PipelineMode.Concurrent"/>.</summary>
    public required PipelineMode Mode { get; init; }

    /// <summary>Gets the number of consumers in concurrent mode.</summary>
    public int Concurrency { get; init; } = PipelineDefaults.Concurrency;

    /// <summary>Gets the bounds of adaptive concurrency, or <see langword="null"/> for a fixed number of consumers.</summary>
    /// <remarks>Only in <see cref="PipelineMode.Concurrent"/> mode: up to <see cref="AdaptiveOptions.Max"/> consumer loops start, and
    /// as many as the learned limit allows take work.</remarks>
    public AdaptiveOptions? Adaptive { get; init; }

    /// <summary>Gets the capacity of the work channel.</summary>
    public int ChannelCapacity { get; init; } = PipelineDefaults.ChannelCapacity;

    /// <summary>Gets the capacity of the result channel.</summary>
    public int ResultChannelCapacity { get; init; } = PipelineDefaults.ResultChannelCapacity;

    /// <summary>Gets what to do with repeated URLs.</summary>
    public DuplicatePolicy Duplicates { get; init; } = PipelineDefaults.Duplicates;

    /// <summary>Gets how long fetches in flight may finish once the run is asked to stop.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.Zero;

    /// <summary>Gets the sources; one producer runs per source.</summary>
    public required IReadOnlyList<IUrlSource> Sources { get; init; }

    /// <summary>Gets the sink every result is written to.</summary>
    public required IResultSink Sink { get; init; }

    /// <summary>Gets the ledger of a batch that keeps state: producers and the sink stage report to it and the sink stage checkpoints it; <see langword="null"/> for runs that save nothing.</summary>
    internal State.BatchLedger? Ledger { get; init; }

    /// <summary>Gets the processing stage between the fetch and the sink, or <see langword="null"/> for none.</summary>
    public Processing.ProcessPlan? Processing { get; init; }

    /// <summary>Gets a value indicating whether each fetch runs in a <c>fetch url</c> span.</summary>
    /// <value>The default value is <see langword="true"/>; off only when nothing reads the spans (see <see cref="Telemetry.TelemetryOptions.SummarySpans"/>).
    /// A broker item that continues a publisher's trace gets its span either way.</value>
    public bool FetchSpans { get; init; } = true;

    /// <summary>Gets the observer, if any.</summary>
    public IRunObserver? Observer { get; init; }

    /// <summary>Gets the number of consumer loops the plan runs (with adaptive concurrency, the most that may be active).</summary>
    public int Consumers => Mode == PipelineMode.Sequential ? 1 : Adaptive?.Max ?? Concurrency;

    /// <summary>Returns a copy of the plan that reports to a batch's ledger.</summary>
    /// <param name="ledger">The ledger.</param>
    /// <returns>The copy.</returns>
    internal RunPlan WithLedger(State.BatchLedger ledger) => new()
    {
        Mode = Mode,
        Concurrency = Concurrency,
        ChannelCapacity = ChannelCapacity,
        ResultChannelCapacity = ResultChannelCapacity,
        Duplicates = Duplicates,
        ShutdownGrace = ShutdownGrace,
        Sources = Sources,
        Sink = Sink,
        Observer = Observer,
        Adaptive = Adaptive,
        Processing = Processing,
        Ledger = ledger,
        FetchSpans = FetchSpans,
    };

    /// <summary>Builds a plan from the options, for one of the two single-run modes.</summary>
    /// <param name="options">The options.</param>
    /// <param name="mode">Sequential or Concurrent.</param>
    /// <param name="sources">The sources.</param>
    /// <param name="sink">The sink.</param>
    /// <param name="observer">An observer, or <see langword="null"/>.</param>
    /// <param name="adaptive">The adaptive concurrency options; used when enabled and the mode is Concurrent.</param>
    /// <param name="fetchSpans">Whether each fetch runs in a span (<see cref="FetchSpans"/>).</param>
    /// <param name="processing">The processing stage, or <see langword="null"/> for none.</param>
    /// <returns>The plan.</returns>
    public static RunPlan From(PipelineOptions options, PipelineMode mode, IReadOnlyList<IUrlSource> sources, IResultSink sink, IRunObserver? observer = null, AdaptiveOptions? adaptive = null, bool fetchSpans = true, Processing.ProcessPlan? processing = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (mode == PipelineMode.Compare)
        {
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "A plan runs one mode; Compare is two plans.");
        }

        return new RunPlan
        {
            Mode = mode,
            Concurrency = options.Concurrency,
            Adaptive = mode == PipelineMode.Concurrent && adaptive is { Enabled: true } ? adaptive : null,
            ChannelCapacity = options.ChannelCapacity,
            ResultChannelCapacity = options.ResultChannelCapacity,
            Duplicates = options.Duplicates,
            ShutdownGrace = options.ShutdownGrace,
            Sources = sources,
            Sink = sink,
            Observer = observer,
            Processing = processing,
            FetchSpans = fetchSpans,
        };
    }
}
