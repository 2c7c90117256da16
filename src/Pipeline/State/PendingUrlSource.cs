using System.Runtime.CompilerServices;
using Pipeline.Sources;

namespace Pipeline.State;

/// <summary>The lines a stopped run left unsettled, read back from the pending ledger with their original source, line, reason and duplicate marker.</summary>
/// <param name="entries">The entries, in the ledger's order.</param>
internal sealed class PendingUrlSource(IReadOnlyList<PendingEntry> entries) : IUrlSource
{
    /// <summary>The name this source reports in logs and positions; items keep their own source names.</summary>
    public const string SourceName = "pending";

    public string Name => SourceName;

    public long? KnownCount => Entries.Count;

    /// <summary>Gets the entries.</summary>
    public IReadOnlyList<PendingEntry> Entries { get; } = entries;

    public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var entry in Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return entry.ToWorkItem();
        }
    }
}
