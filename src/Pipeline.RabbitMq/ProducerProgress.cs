using Pipeline.Sources;
using Pipeline.State;

namespace Pipeline.RabbitMq;

/// <summary>
/// Where a producer's batch stands: which sources this run reads (the rest of a resumed batch), and how
/// far the broker confirmed each of them, as a <see cref="ProducerState"/> to save at any moment.
/// </summary>
/// <remarks>Used from the publish loop only; confirmations arrive in publish order, so each source's position is the end of a confirmed prefix.</remarks>
internal sealed class ProducerProgress
{
    private readonly IReadOnlyList<IUrlSource> _configured;
    private readonly string?[] _fingerprints;
    private readonly Checkpoint?[] _earlier;
    private readonly int[] _configuredIndex;
    private readonly SourcePosition[] _confirmed;

    /// <summary>Initializes a new instance of the <see cref="ProducerProgress"/> class.</summary>
    /// <param name="batch">The batch id.</param>
    /// <param name="saved">The saved state of this batch, or <see langword="null"/> for a new batch.</param>
    /// <param name="configured">The sources as configured.</param>
    public ProducerProgress(string batch, ProducerState? saved, IReadOnlyList<IUrlSource> configured)
    {
        Batch = batch;
        Carried = saved?.Published ?? 0;
        _configured = configured;
        _fingerprints = [.. configured.Select(s => (s as IResumableUrlSource)?.Fingerprint)];
        var checkpoints = saved?.Sources.ToDictionary(c => c.Source, StringComparer.Ordinal) ?? [];
        _earlier = new Checkpoint?[configured.Count];
        var toRead = new List<IUrlSource>();
        var index = new List<int>();
        for (var i = 0; i < configured.Count; i++)
        {
            // A source edited since (another fingerprint) is read from the start again, as an in-process batch does.
            if (configured[i] is IResumableUrlSource resumable && checkpoints.TryGetValue(resumable.Name, out var checkpoint) && checkpoint.Fingerprint == _fingerprints[i])
            {
                _earlier[i] = checkpoint;
                if (checkpoint.Exhausted)
                {
                    continue;
                }

                toRead.Add(checkpoint.LastLine > 0 ? resumable.StartAfter(new SourcePosition(checkpoint.Pulled, checkpoint.LastLine, false)) : resumable);
            }
            else
            {
                toRead.Add(configured[i]);
            }

            index.Add(i);
        }

        ToRead = toRead;
        _configuredIndex = [.. index];
        _confirmed = [.. toRead.Select(_ => new SourcePosition(0, 0, false))];
        Resumed = saved is not null;
    }

    /// <summary>Gets the batch id.</summary>
    public string Batch { get; }

    /// <summary>Gets the messages confirmed by earlier runs of the batch.</summary>
    public long Carried { get; }

    /// <summary>Gets a value indicating whether this run continues a saved batch.</summary>
    public bool Resumed { get; }

    /// <summary>Gets the sources this run reads: what is left of each, in the configured order.</summary>
    public IReadOnlyList<IUrlSource> ToRead { get; }

    /// <summary>Gets the messages this run had confirmed.</summary>
    public long Published { get; private set; }

    /// <summary>Gets the last line confirmed (<c>source:line</c>), or <see langword="null"/>.</summary>
    public string? LastPosition { get; private set; }

    /// <summary>Records the broker's confirmation of one line of <see cref="ToRead"/>'s source at <paramref name="source"/>.</summary>
    public void Confirm(int source, long line)
    {
        Published++;
        _confirmed[source] = new SourcePosition(_confirmed[source].Pulled + 1, line, false);
        LastPosition = $"{ToRead[source].Name}:{line}";
    }

    /// <summary>The state as it stands, for the state file.</summary>
    /// <param name="read">How far the stage read each source once it has ended, so that a source read to its end and
    /// wholly confirmed is saved as done; <see langword="null"/> while it runs.</param>
    /// <returns>The batch, the count and the positions of one moment.</returns>
    public ProducerState Snapshot(IReadOnlyList<SourcePosition>? read = null)
    {
        var checkpoints = new List<Checkpoint>(_configured.Count);
        var ran = 0;
        for (var i = 0; i < _configured.Count; i++)
        {
            if (_fingerprints[i] is not { } fingerprint)
            {
                // Not resumable: read from the start by every run.
                ran += ran < _configuredIndex.Length && _configuredIndex[ran] == i ? 1 : 0;
                continue;
            }

            var earlier = _earlier[i];
            if (ran >= _configuredIndex.Length || _configuredIndex[ran] != i)
            {
                // Finished by an earlier run.
                checkpoints.Add(earlier!);
                continue;
            }

            var confirmed = _confirmed[ran];
            var done = read is not null && read[ran].Exhausted && read[ran].Pulled == confirmed.Pulled;
            var line = confirmed.LastLine > 0 ? confirmed.LastLine : earlier?.LastLine ?? 0;
            checkpoints.Add(new Checkpoint(_configured[i].Name, fingerprint, (earlier?.Pulled ?? 0) + confirmed.Pulled, line, done));
            ran++;
        }

        return new ProducerState(Batch, Carried + Published, checkpoints);
    }
}
