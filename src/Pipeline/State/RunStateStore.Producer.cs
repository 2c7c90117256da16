using Pipeline.Sources;

namespace Pipeline.State;

/// <summary>The state of a reader of sources that runs no pipeline (the broker producer): positions it confirmed, no results file.</summary>
public sealed partial class RunStateStore
{
    /// <summary>Builds the sources of a resumed run from the saved state, for callers that read sources without a runner (the broker producer).</summary>
    /// <param name="sources">The configured sources.</param>
    /// <param name="cancellationToken">Stops reading the state.</param>
    /// <returns>The sources to run, and the names of sources whose checkpoint was dropped because they changed.</returns>
    public async Task<(IReadOnlyList<IUrlSource> Sources, IReadOnlyList<string> Changed)> ResumeAsync(IReadOnlyList<IUrlSource> sources, CancellationToken cancellationToken)
    {
        if (await LoadAsync(cancellationToken) is not var (saved, pending))
        {
            return (sources, []);
        }

        var (resumed, _, changed) = Resume(saved, pending, sources);
        return (resumed, changed);
    }

    /// <summary>Saves where each source got to and what is pending, for callers that read sources without a runner (the broker producer).</summary>
    /// <param name="configured">The sources as configured (their fingerprints are saved).</param>
    /// <param name="ran">The sources as run (resumed ones included), in order.</param>
    /// <param name="positions">Where each source of <paramref name="ran"/> got to.</param>
    /// <param name="pending">Items read but not finished.</param>
    /// <param name="cancellationToken">Stops saving.</param>
    /// <returns>How many entries were saved as pending.</returns>
    /// <remarks>A source that took nothing in this run keeps its earlier checkpoint: stopping while a resumed source skips its done lines never moves it back.</remarks>
    public async Task<long> SaveAsync(IReadOnlyList<IUrlSource> configured, IReadOnlyList<IUrlSource> ran, IReadOnlyList<SourcePosition> positions, IReadOnlyList<WorkItem> pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(ran);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(pending);
        var previous = await LoadAsync(cancellationToken);
        var before = previous?.Batch.Checkpoints.ToDictionary(c => c.Source, StringComparer.Ordinal) ?? new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        var checkpoints = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        var entries = pending.Select(PendingEntry.Of).ToList();
        for (var i = 0; i < ran.Count; i++)
        {
            var position = positions.Count > i ? positions[i] : new SourcePosition(0, 0, false);
            if (ran[i] is PendingUrlSource old)
            {
                // What this run did not get to of the old ledger stays pending.
                entries.AddRange(old.Entries.Skip((int)Math.Min(position.Pulled, old.Entries.Count)));
            }
            else if (configured.FirstOrDefault(s => s.Name == ran[i].Name) is IResumableUrlSource resumable)
            {
                var fingerprint = resumable.Fingerprint;
                var line = before.TryGetValue(resumable.Name, out var earlier) && earlier.Fingerprint == fingerprint ? Math.Max(earlier.LastLine, position.LastLine) : position.LastLine;
                checkpoints[resumable.Name] = new Checkpoint(resumable.Name, fingerprint, position.Pulled, line, position.Exhausted);
            }
        }

        // Sources a resumed run skipped were finished before: keep saying so.
        foreach (var (name, checkpoint) in before)
        {
            checkpoints.TryAdd(name, checkpoint);
        }

        var batch = new SavedBatch(BatchIdentity.Of(configured, string.Empty), [.. checkpoints.Values], -1, 0, string.Empty, (previous?.Batch.Generation ?? 0) + 1, DateTimeOffset.UtcNow);
        await SaveAsync(batch, entries, cancellationToken);
        return entries.Count;
    }
}
