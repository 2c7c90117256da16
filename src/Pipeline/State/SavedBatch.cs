namespace Pipeline.State;

/// <summary>The content of <c>checkpoints.json</c>: which batch the state belongs to and how far it got.</summary>
/// <param name="Batch">The batch's identity.</param>
/// <param name="Checkpoints">Each source's checkpoint: every line up to it has its result in the results file or an entry in the pending ledger.</param>
/// <param name="ResultsLength">The results file's length when the checkpoint was taken; a resume cuts the file back to it (-1: not known, append).</param>
/// <param name="PendingCount">How many entries the pending ledger holds.</param>
/// <param name="PendingChecksum">The pending ledger's checksum, so a ledger cut short is noticed.</param>
/// <param name="Generation">Counts the saves; the pending ledger of a save carries the same number.</param>
/// <param name="SavedAt">When it was saved.</param>
public sealed record SavedBatch(
    BatchIdentity Batch,
    IReadOnlyList<Checkpoint> Checkpoints,
    long ResultsLength,
    long PendingCount,
    string PendingChecksum,
    long Generation,
    DateTimeOffset SavedAt);
