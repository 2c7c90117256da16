using System.Text;
using Pipeline.Sources;

namespace Pipeline.State;

/// <summary>
/// The state of one stopped (or running) batch in its state folder: <c>checkpoints.json</c> (which batch,
/// how far each source got, how long the results file was) and <c>pending.jsonl</c> (the lines read but
/// not settled). Both are replaced atomically and checked when read back.
/// </summary>
/// <remarks>
/// <c>checkpoints.json</c> is the commit point. A save writes the new ledger to <c>pending.jsonl.new</c>,
/// then <c>checkpoints.json</c> (naming the new ledger's checksum), then renames the ledger into place; a
/// crash between the two renames is finished on the next load. So the two files always describe the
/// same moment, and a ledger cut short is reported instead of being taken for a finished batch.
/// </remarks>
/// <param name="directory">The state folder.</param>
public sealed class RunStateStore(string directory)
{
    private const string PendingFile = "pending.jsonl";
    private const string CheckpointFile = "checkpoints.json";

    /// <summary>Gets the state folder.</summary>
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Gets the pending ledger's path.</summary>
    public string PendingPath => Path.Combine(Directory, PendingFile);

    /// <summary>Gets the checkpoint file's path.</summary>
    public string CheckpointPath => Path.Combine(Directory, CheckpointFile);

    /// <summary>Gets a value indicating whether a batch left state behind.</summary>
    public bool Exists => File.Exists(CheckpointPath) || File.Exists(PendingPath);

    private string NextPendingPath => PendingPath + ".new";

    /// <summary>Reads the saved state, checking every file.</summary>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The saved batch and its pending entries, or <see langword="null"/> when there is none.</returns>
    /// <exception cref="BatchStateException">A file is damaged; the message names it and the way out.</exception>
    public async Task<(SavedBatch Batch, IReadOnlyList<PendingEntry> Pending)?> LoadAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(CheckpointPath))
        {
            if (File.Exists(PendingPath))
            {
                throw StateFileCodec.Damaged(CheckpointPath, $"it is missing while {PendingPath} exists");
            }

            return null;
        }

        var batch = StateFileCodec.DecodeCheckpoints(CheckpointPath, await File.ReadAllBytesAsync(CheckpointPath, cancellationToken));
        var pending = await ReadLedgerAsync(PendingPath, batch, cancellationToken);
        if (pending is null && File.Exists(NextPendingPath))
        {
            // Stopped between the two renames of a save: the new ledger is complete, finish the move.
            pending = await ReadLedgerAsync(NextPendingPath, batch, cancellationToken);
            if (pending is not null)
            {
                File.Move(NextPendingPath, PendingPath, overwrite: true);
                DurableFile.SyncDirectory(Directory);
            }
        }

        return pending is null
            ? throw StateFileCodec.Damaged(PendingPath, await DescribeMismatchAsync(batch, cancellationToken))
            : (batch, pending);
    }

    /// <summary>Saves the state of a batch: the ledger first, then the checkpoint that commits it.</summary>
    /// <param name="batch">The batch's identity, checkpoints and results length (the pending fields are filled in here).</param>
    /// <param name="pending">The lines read but not settled.</param>
    /// <param name="cancellationToken">Stops the save (the previous state stays whole).</param>
    /// <returns>The saved batch as written.</returns>
    public async Task<SavedBatch> SaveAsync(SavedBatch batch, IReadOnlyCollection<PendingEntry> pending, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(pending);
        var lines = pending.Select(StateFileCodec.EncodeLine).ToList();
        var content = new byte[lines.Sum(l => l.Length)];
        var offset = 0;
        foreach (var line in lines)
        {
            line.CopyTo(content, offset);
            offset += line.Length;
        }

        var saved = batch with { PendingCount = lines.Count, PendingChecksum = StateFileCodec.FileSum(lines) };
        await DurableFile.WriteAtomicAsync(NextPendingPath, content, cancellationToken);
        await DurableFile.WriteAtomicAsync(CheckpointPath, StateFileCodec.EncodeCheckpoints(saved), CancellationToken.None);
        File.Move(NextPendingPath, PendingPath, overwrite: true);
        DurableFile.SyncDirectory(Directory);
        return saved;
    }

    /// <summary>Forgets the saved state: the batch finished and its results are on disk.</summary>
    public void Clear()
    {
        if (!System.IO.Directory.Exists(Directory))
        {
            return;
        }

        // The checkpoint first: without it the rest is not a batch.
        File.Delete(CheckpointPath);
        File.Delete(PendingPath);
        File.Delete(NextPendingPath);
        DurableFile.SyncDirectory(Directory);
    }

    /// <summary>Moves the state files into a sub-folder named for the reason and the time, keeping them for a person to look at.</summary>
    /// <param name="reason">A word for the folder name (<c>discarded</c>, <c>other-batch</c>).</param>
    /// <param name="timeProvider">The clock for the folder name.</param>
    /// <returns>The folder the files went to.</returns>
    public string MoveAside(string reason, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var stamp = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var target = Path.Combine(Directory, $"{reason}-{stamp}");
        for (var n = 2; System.IO.Directory.Exists(target); n++)
        {
            target = Path.Combine(Directory, $"{reason}-{stamp}-{n}");
        }

        System.IO.Directory.CreateDirectory(target);
        foreach (var file in new[] { CheckpointPath, PendingPath, NextPendingPath })
        {
            if (File.Exists(file))
            {
                File.Move(file, Path.Combine(target, Path.GetFileName(file)));
            }
        }

        DurableFile.SyncDirectory(Directory);
        return target;
    }

    /// <summary>Builds the sources of a resumed run: the pending entries first, then each source after its checkpoint.</summary>
    /// <param name="saved">The saved batch.</param>
    /// <param name="pending">Its pending entries.</param>
    /// <param name="sources">The configured sources.</param>
    /// <returns>The sources to run, the checkpoint each of them starts from (line 0 for a source read from the start), and the names of sources that changed.</returns>
    public static (IReadOnlyList<IUrlSource> Sources, IReadOnlyList<long> StartLines, IReadOnlyList<string> Changed) Resume(SavedBatch saved, IReadOnlyList<PendingEntry> pending, IReadOnlyList<IUrlSource> sources)
    {
        ArgumentNullException.ThrowIfNull(saved);
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(sources);
        var checkpoints = saved.Checkpoints.ToDictionary(c => c.Source, StringComparer.Ordinal);
        var resumed = new List<IUrlSource>();
        var starts = new List<long>();
        var changed = new List<string>();
        if (pending.Count > 0)
        {
            resumed.Add(new PendingUrlSource(pending));
            starts.Add(0);
        }

        foreach (var source in sources)
        {
            if (source is not IResumableUrlSource resumable || !checkpoints.TryGetValue(source.Name, out var checkpoint))
            {
                resumed.Add(source);
                starts.Add(0);
            }
            else if (checkpoint.Fingerprint != resumable.Fingerprint)
            {
                changed.Add(source.Name);
                resumed.Add(source);
                starts.Add(0);
            }
            else if (!checkpoint.Exhausted)
            {
                resumed.Add(resumable.StartAfter(new SourcePosition(checkpoint.Pulled, checkpoint.LastLine, false)));
                starts.Add(checkpoint.LastLine);
            }
        }

        return (resumed, starts, changed);
    }

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

    private static async Task<IReadOnlyList<PendingEntry>?> ReadLedgerAsync(string path, SavedBatch batch, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
        {
            return batch.PendingCount == 0 ? [] : null;
        }

        var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
        var lines = SplitLines(bytes);
        if (lines.Count != batch.PendingCount || StateFileCodec.FileSum(lines) != batch.PendingChecksum)
        {
            return null;
        }

        var entries = new List<PendingEntry>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            entries.Add(StateFileCodec.DecodeLine(path, i + 1, Encoding.UTF8.GetString(lines[i].AsSpan(0, lines[i].Length - 1))));
        }

        return entries;
    }

    // Each line with its newline; a last line without one is kept as it is (and fails the checksum).
    private static List<byte[]> SplitLines(byte[] bytes)
    {
        var lines = new List<byte[]>();
        var start = 0;
        while (start < bytes.Length)
        {
            var end = Array.IndexOf(bytes, (byte)'\n', start);
            end = end < 0 ? bytes.Length : end + 1;
            lines.Add(bytes[start..end]);
            start = end;
        }

        return lines;
    }

    private async Task<string> DescribeMismatchAsync(SavedBatch batch, CancellationToken cancellationToken)
    {
        if (!File.Exists(PendingPath))
        {
            return $"it is missing; {CheckpointFile} expects {batch.PendingCount} entries";
        }

        var bytes = await File.ReadAllBytesAsync(PendingPath, cancellationToken);
        var lines = SplitLines(bytes);
        if (bytes.Length == 0)
        {
            return $"the file is empty; {CheckpointFile} expects {batch.PendingCount} entries";
        }

        // Name the first bad line when there is one; else the count or the whole-file checksum is off.
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line[^1] != (byte)'\n')
            {
                return $"line {i + 1} is cut short";
            }

            try
            {
                StateFileCodec.DecodeLine(PendingPath, i + 1, Encoding.UTF8.GetString(line.AsSpan(0, line.Length - 1)));
            }
            catch (BatchStateException ex)
            {
                return ex.Message[(PendingPath.Length + " is damaged: ".Length)..ex.Message.IndexOf(". ", StringComparison.Ordinal)];
            }
        }

        return lines.Count != batch.PendingCount
            ? $"it has {lines.Count} entries; {CheckpointFile} expects {batch.PendingCount}"
            : $"its checksum does not match the one in {CheckpointFile}";
    }
}
