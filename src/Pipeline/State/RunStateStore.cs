using System.Text.Json;
using Pipeline.Running;
using Pipeline.Sources;

namespace Pipeline.State;

/// <summary>
/// Saves what a stopped run left over — the URLs it read but did not settle, and how far it got in
/// each source — and turns it back into sources for the next run, so that nothing is lost and
/// nothing is fetched twice without need.
/// </summary>
/// <param name="directory">The state folder.</param>
public sealed class RunStateStore(string directory)
{
    private const string PendingFile = "pending.jsonl";
    private const string CheckpointFile = "checkpoints.json";

    /// <summary>Gets the pending file's path.</summary>
    public string PendingPath => Path.Combine(directory, PendingFile);

    /// <summary>Gets the checkpoint file's path.</summary>
    public string CheckpointPath => Path.Combine(directory, CheckpointFile);

    /// <summary>Gets a value indicating whether a stopped run left state behind.</summary>
    public bool Exists => File.Exists(CheckpointPath) || File.Exists(PendingPath);

    /// <summary>Builds the sources of a resumed run: the pending URLs first, then each source after its checkpoint.</summary>
    /// <param name="sources">The configured sources.</param>
    /// <param name="cancellationToken">Stops reading the state.</param>
    /// <returns>The sources to run, and the names of sources whose checkpoint was dropped because they changed.</returns>
    public async Task<(IReadOnlyList<IUrlSource> Sources, IReadOnlyList<string> Changed)> ResumeAsync(IReadOnlyList<IUrlSource> sources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var checkpoints = await LoadCheckpointsAsync(cancellationToken);
        var resumed = new List<IUrlSource>();
        var changed = new List<string>();
        if (File.Exists(PendingPath))
        {
            resumed.Add(new PendingUrlSource(PendingPath));
        }

        foreach (var source in sources)
        {
            if (source is not IResumableUrlSource resumable || !checkpoints.TryGetValue(source.Name, out var checkpoint))
            {
                resumed.Add(source);
            }
            else if (checkpoint.Fingerprint != resumable.Fingerprint)
            {
                changed.Add(source.Name);
                resumed.Add(source);
            }
            else if (!checkpoint.Exhausted)
            {
                resumed.Add(resumable.StartAfter(new SourcePosition(checkpoint.Pulled, checkpoint.LastLine, false)));
            }
        }

        return (resumed, changed);
    }

    /// <summary>Saves what an interrupted run left over.</summary>
    /// <param name="configured">The configured sources (to fingerprint them).</param>
    /// <param name="plan">The plan that ran (possibly resumed sources).</param>
    /// <param name="summary">The interrupted run's summary.</param>
    /// <param name="cancellationToken">Stops the save.</param>
    /// <returns>The number of pending URLs saved.</returns>
    public Task<long> SaveAsync(IReadOnlyList<IUrlSource> configured, RunPlan plan, RunSummary summary, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(summary);
        return SaveAsync(configured, plan.Sources, summary.SourcePositions, summary.PendingItems, cancellationToken);
    }

    /// <summary>Saves where each source got to and what is pending, for callers that read sources without a runner (the broker producer).</summary>
    /// <param name="configured">The sources as configured (their fingerprints are saved).</param>
    /// <param name="ran">The sources as run (resumed ones included), in order.</param>
    /// <param name="positions">Where each source of <paramref name="ran"/> got to.</param>
    /// <param name="pending">Items read but not finished.</param>
    /// <param name="cancellationToken">Stops saving.</param>
    /// <returns>How many URLs were saved as pending.</returns>
    public async Task<long> SaveAsync(IReadOnlyList<IUrlSource> configured, IReadOnlyList<IUrlSource> ran, IReadOnlyList<SourcePosition> positions, IReadOnlyList<WorkItem> pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(configured);
        ArgumentNullException.ThrowIfNull(ran);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentNullException.ThrowIfNull(pending);
        Directory.CreateDirectory(directory);
        var previous = await LoadCheckpointsAsync(cancellationToken);
        var checkpoints = new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        for (var i = 0; i < ran.Count; i++)
        {
            var source = ran[i];
            var position = positions.Count > i ? positions[i] : new SourcePosition(0, 0, false);
            if (configured.FirstOrDefault(s => s.Name == source.Name) is IResumableUrlSource resumable)
            {
                checkpoints[source.Name] = new Checkpoint(source.Name, resumable.Fingerprint, position.Pulled, position.LastLine, position.Exhausted);
            }
        }

        // Sources a resumed run skipped were finished before: keep saying so.
        foreach (var (name, checkpoint) in previous)
        {
            checkpoints.TryAdd(name, checkpoint);
        }

        // The new pending list: what this run left, then what it did not get to of the old list.
        var temporary = PendingPath + ".tmp";
        long count = 0;
        await using (var writer = new StreamWriter(temporary))
        {
            foreach (var item in pending)
            {
                await WriteEntryAsync(writer, item);
                count++;
            }

            var pendingIndex = ran.ToList().FindIndex(s => s is PendingUrlSource);
            if (pendingIndex >= 0 && ran[pendingIndex] is PendingUrlSource old && !positions[pendingIndex].Exhausted)
            {
                await foreach (var item in PendingUrlSource.ReadEntriesAsync(old.Path, old.Skip + positions[pendingIndex].Pulled, cancellationToken))
                {
                    await WriteEntryAsync(writer, item);
                    count++;
                }
            }
        }

        File.Move(temporary, PendingPath, overwrite: true);
        await File.WriteAllTextAsync(CheckpointPath + ".tmp", JsonSerializer.Serialize(checkpoints.Values.ToList(), CheckpointJsonContext.Default.ListCheckpoint), cancellationToken);
        File.Move(CheckpointPath + ".tmp", CheckpointPath, overwrite: true);
        return count;
    }

    /// <summary>Forgets the saved state: the batch finished.</summary>
    public void Clear()
    {
        if (Directory.Exists(directory))
        {
            File.Delete(PendingPath);
            File.Delete(CheckpointPath);
        }
    }

    private static async Task WriteEntryAsync(StreamWriter writer, WorkItem item)
    {
        var entry = JsonSerializer.Serialize(new PendingEntry(item.Source, item.Line, item.Text), PendingEntryJsonContext.Default.PendingEntry);
        await writer.WriteLineAsync(entry);
    }

    private async Task<Dictionary<string, Checkpoint>> LoadCheckpointsAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(CheckpointPath))
        {
            return new Dictionary<string, Checkpoint>(StringComparer.Ordinal);
        }

        await using var stream = File.OpenRead(CheckpointPath);
        var list = await JsonSerializer.DeserializeAsync(stream, CheckpointJsonContext.Default.ListCheckpoint, cancellationToken) ?? [];
        return list.ToDictionary(c => c.Source, StringComparer.Ordinal);
    }

    internal sealed record PendingEntry(string Source, long Line, string Url);
}
