using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Pipeline.Sources;
using Pipeline.Telemetry;

namespace Pipeline.Running;

/// <summary>
/// The first stage: one producer per source reads it lazily and writes each item to the work
/// channel, marking repeated URLs on the way. It holds only the channel's writer and completes it
/// when every source is read (or the stage is stopped).
/// </summary>
/// <remarks>
/// The channel is bounded and waits when full, so a huge source is read no faster than the next
/// stage takes items: <c>TryWrite</c> first (the common case, no allocation), and only when it fails
/// a counted back-pressure wait in <c>WriteAsync</c>. The runner drains the stage into its consumers;
/// another user (the broker's publisher) drains it into whatever it feeds.
/// </remarks>
public sealed class ProducerStage
{
    private readonly IReadOnlyList<IUrlSource> _sources;
    private readonly RunCounters _counters;
    private readonly PipelineMode? _metricsMode;
    private readonly IRunObserver? _observer;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SourcePosition[] _positions;

    /// <summary>Initializes a new instance of the <see cref="ProducerStage"/> class.</summary>
    /// <param name="sources">The sources; one producer runs per source.</param>
    /// <param name="duplicates">What to do with repeated URLs: <see cref="DuplicatePolicy.Skip"/> marks each repeat with
    /// <see cref="WorkItem.DuplicateOf"/>.</param>
    /// <param name="timeProvider">The clock that stamps when an item entered the channel.</param>
    /// <param name="logger">Where a source that breaks is reported.</param>
    public ProducerStage(IReadOnlyList<IUrlSource> sources, DuplicatePolicy duplicates, TimeProvider timeProvider, ILogger logger)
        : this(sources, duplicates, null, new RunCounters(), null, timeProvider, logger)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ProducerStage"/> class for one run of the runner.</summary>
    /// <param name="sources">The sources; one producer runs per source.</param>
    /// <param name="duplicates">What to do with repeated URLs.</param>
    /// <param name="metricsMode">The run's mode, for the metrics; <see langword="null"/> records none.</param>
    /// <param name="counters">The run's live counters.</param>
    /// <param name="observer">The run's observer, or <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock that stamps when an item entered the channel.</param>
    /// <param name="logger">The logger.</param>
    internal ProducerStage(IReadOnlyList<IUrlSource> sources, DuplicatePolicy duplicates, PipelineMode? metricsMode, RunCounters counters, IRunObserver? observer, TimeProvider timeProvider, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = sources;
        _metricsMode = metricsMode;
        _counters = counters;
        _observer = observer;
        _timeProvider = timeProvider;
        _logger = logger;
        Duplicates = duplicates == DuplicatePolicy.Skip ? new DuplicateTracker() : null;
        _positions = [.. sources.Select(_ => new SourcePosition(0, 0, false))];
    }

    /// <summary>Gets how far each producer got, by source index: items read, the last line, whether it read to the end.
    /// Final once <see cref="RunAsync"/> has ended.</summary>
    public IReadOnlyList<SourcePosition> Positions => _positions;

    /// <summary>Gets the number of times a producer found the channel full and waited.</summary>
    public long Waits => _counters.ProducerWaits;

    /// <summary>Gets the tracker of URLs taken so far, or <see langword="null"/> when repeats are fetched.</summary>
    internal DuplicateTracker? Duplicates { get; }

    /// <summary>Gets the items a producer had read but not yet written when the stage was stopped.</summary>
    public IReadOnlyCollection<WorkItem> Held => HeldItems;

    /// <summary>Gets the items held when stopped, for the runner to drain.</summary>
    internal ConcurrentQueue<WorkItem> HeldItems { get; } = new();

    /// <summary>Runs one producer per source until all are read, then completes the writer.</summary>
    /// <param name="writer">The work channel's writer.</param>
    /// <param name="cancellationToken">Stops reading; an item in hand goes to <see cref="Held"/>.</param>
    /// <returns>A task that completes when every producer has ended and the writer is completed.</returns>
    public async Task RunAsync(ChannelWriter<WorkItem> writer, CancellationToken cancellationToken)
    {
        try
        {
            var producers = new Task[_sources.Count];
            for (var i = 0; i < producers.Length; i++)
            {
                var index = i;
                producers[i] = Task.Run(() => ProduceAsync(index, writer, cancellationToken), CancellationToken.None);
            }

            await Task.WhenAll(producers);
        }
        finally
        {
            writer.TryComplete();
        }
    }

    private async Task ProduceAsync(int sourceIndex, ChannelWriter<WorkItem> writer, CancellationToken cancellationToken)
    {
        var source = _sources[sourceIndex];
        using var activity = PipelineTelemetry.ActivitySource.StartActivity(PipelineTelemetry.ProduceSpanName);
        activity?.SetTag(SpanAttributes.Source, source.Name);
        long lastLine = 0;
        long items = 0;
        var exhausted = false;
        WorkItem? inHand = null;
        try
        {
            await foreach (var read in source.ReadAsync(cancellationToken))
            {
                var item = read;
                inHand = item;
                items++;
                lastLine = item.Line;
                if (item.Url is { } url && Duplicates?.IsRepeat(url, item.Source, item.Line, out var first) == true)
                {
                    item = inHand = item with { DuplicateOf = first };
                }

                item.EnqueuedTimestamp = _timeProvider.GetTimestamp();
                if (!writer.TryWrite(item))
                {
                    _counters.ProducerWaited();
                    _observer?.OnProducerBlocked(item);
                    await writer.WriteAsync(item, cancellationToken);
                }

                inHand = null;
                Enqueued();
            }

            exhausted = true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (inHand is not null)
            {
                HeldItems.Enqueue(inHand);
            }
        }
        catch (Exception ex) when (ex is not ChannelClosedException)
        {
            // A source that breaks (file deleted, disk error) ends as one failed line naming where
            // it stopped; the other sources and the URLs already read carry on.
            Log.SourceFailed(_logger, source.Name, lastLine, ex);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            var failed = new WorkItem(source.Name, lastLine + 1, string.Empty, null, $"source could not be read past line {lastLine}: {ex.Message}")
            {
                EnqueuedTimestamp = _timeProvider.GetTimestamp(),
            };
            try
            {
                await writer.WriteAsync(failed, cancellationToken);
                Enqueued();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                HeldItems.Enqueue(failed);
            }
        }

        _positions[sourceIndex] = new SourcePosition(items, lastLine, exhausted);
        activity?.SetTag(SpanAttributes.Items, items);
    }

    private void Enqueued()
    {
        _counters.ItemEnqueued();
        if (_metricsMode is { } mode)
        {
            PipelineMetrics.ItemEnqueued(mode);
        }
    }
}
