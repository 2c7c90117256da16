using Pipeline.Fetching;
using Pipeline.Sinks;
using Pipeline.Sources;

namespace Pipeline.State;

/// <summary>
/// What a batch that keeps state knows while it runs: every line taken from a source and not yet
/// written to the results file, and how far each source got. A checkpoint is the results file made
/// durable, then this snapshot saved beside it, so that after any stop or crash the results file
/// cut back to the checkpoint's length, the pending ledger and the sources read after their
/// checkpoints give every line exactly once.
/// </summary>
/// <remarks>
/// Producers call <see cref="Taken"/> before an item enters the work channel; the sink stage calls
/// <see cref="Settled"/> after it wrote the result and <see cref="CheckpointAsync"/> between writes.
/// One lock covers all three, so a snapshot never sees a source's position without the items it
/// took. What it holds is bounded by the channels and the consumers, whatever the input's size.
/// </remarks>
public sealed class BatchLedger
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Source, long Line), WorkItem> _outstanding = [];
    private readonly RunStateStore _store;
    private readonly BatchIdentity _identity;
    private readonly IReadOnlyList<IUrlSource> _ran;
    private readonly string?[] _fingerprints;
    private readonly long[] _taken;
    private readonly long[] _lastLine;
    private readonly bool[] _exhausted;
    private readonly IReadOnlyList<Checkpoint> _done;
    private readonly IResultFile _sink;
    private readonly TimeProvider _timeProvider;
    private long _generation;

    /// <summary>Initializes a new instance of the <see cref="BatchLedger"/> class.</summary>
    /// <param name="store">Where the state is saved.</param>
    /// <param name="identity">The batch's identity.</param>
    /// <param name="configured">The configured sources (their fingerprints are saved).</param>
    /// <param name="ran">The sources as run: the pending ledger first when resuming, then each source after its checkpoint.</param>
    /// <param name="startLines">The line each source of <paramref name="ran"/> starts after (its checkpoint; 0 from the start).</param>
    /// <param name="sink">The results output (file or database).</param>
    /// <param name="previous">The state being resumed, or <see langword="null"/>.</param>
    /// <param name="interval">How often to checkpoint while running; zero for only when stopping.</param>
    /// <param name="timeProvider">The clock.</param>
    internal BatchLedger(RunStateStore store, BatchIdentity identity, IReadOnlyList<IUrlSource> configured, IReadOnlyList<IUrlSource> ran, IReadOnlyList<long> startLines, IResultFile sink, SavedBatch? previous, TimeSpan interval, TimeProvider timeProvider)
    {
        _store = store;
        _identity = identity;
        _ran = ran;
        _sink = sink;
        _timeProvider = timeProvider;
        Interval = interval;
        _generation = previous?.Generation ?? 0;
        _taken = new long[ran.Count];
        _lastLine = [.. startLines];
        _exhausted = new bool[ran.Count];
        _fingerprints = [.. ran.Select(s => s is PendingUrlSource ? null : (configured.FirstOrDefault(c => c.Name == s.Name) as IResumableUrlSource)?.Fingerprint)];

        // Sources a resumed run does not read again were finished before: keep saying so.
        var running = ran.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        _done = previous?.Checkpoints.Where(c => !running.Contains(c.Source)).ToList() ?? [];
    }

    /// <summary>Gets how often the sink stage checkpoints while the batch runs; <see cref="TimeSpan.Zero"/> for only when it stops.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Gets the last state saved.</summary>
    public SavedBatch? Saved { get; private set; }

    /// <summary>Records an item a producer took from its source, before it enters the work channel.</summary>
    /// <param name="sourceIndex">The producer's index in the plan's sources.</param>
    /// <param name="item">The item, with its duplicate marker.</param>
    internal void Taken(int sourceIndex, WorkItem item)
    {
        lock (_gate)
        {
            _outstanding[(item.Source, item.Line)] = item;
            _taken[sourceIndex]++;
            _lastLine[sourceIndex] = Math.Max(_lastLine[sourceIndex], item.Line);
        }
    }

    /// <summary>Records that a producer read its source to the end.</summary>
    /// <param name="sourceIndex">The producer's index.</param>
    internal void Exhausted(int sourceIndex)
    {
        lock (_gate)
        {
            _exhausted[sourceIndex] = true;
        }
    }

    /// <summary>Gets a value indicating whether a result stays in the state instead of the results file: a line a stop left unsettled.</summary>
    /// <param name="result">The result.</param>
    /// <returns><see langword="true"/> for pending and cancelled results, which the next start settles.</returns>
    internal static bool KeepsInState(FetchResult result) => result.Outcome is FetchOutcome.Pending or FetchOutcome.Cancelled;

    /// <summary>Records that a result was written to the results file (not yet durable: the next checkpoint flushes first).</summary>
    /// <param name="result">The result.</param>
    internal void Settled(FetchResult result)
    {
        lock (_gate)
        {
            _outstanding.Remove((result.Source, result.Line));
        }
    }

    /// <summary>Makes the results file durable and saves the state beside it.</summary>
    /// <param name="cancellationToken">Stops the save; the previous checkpoint stays whole.</param>
    /// <returns>The saved state.</returns>
    /// <remarks>Called by the sink stage only (or after it finished), so no write to the results file runs meanwhile.</remarks>
    internal async Task<SavedBatch> CheckpointAsync(CancellationToken cancellationToken)
    {
        await _sink.FlushAsync(cancellationToken);
        var length = _sink.FlushedLength;
        List<Checkpoint> checkpoints = [.. _done];
        List<PendingEntry> pending;
        lock (_gate)
        {
            pending = [.. _outstanding.Values.OrderBy(i => i.Source, StringComparer.Ordinal).ThenBy(i => i.Line).Select(PendingEntry.Of)];
            for (var i = 0; i < _ran.Count; i++)
            {
                if (_ran[i] is PendingUrlSource old)
                {
                    // Entries of the old ledger not taken yet are still pending.
                    pending.AddRange(old.Entries.Skip((int)Math.Min(_taken[i], old.Entries.Count)));
                }
                else if (_fingerprints[i] is { } fingerprint)
                {
                    checkpoints.Add(new Checkpoint(_ran[i].Name, fingerprint, _taken[i], _lastLine[i], _exhausted[i]));
                }
            }
        }

        _generation++;
        var batch = new SavedBatch(_identity, checkpoints, length, 0, string.Empty, _generation, _timeProvider.GetUtcNow());
        Saved = await _store.SaveAsync(batch, pending, cancellationToken);
        return Saved;
    }
}
