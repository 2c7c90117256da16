namespace Pipeline.Sinks;

/// <summary>A results output a batch can checkpoint: it tells how far it is durable, and a resumed batch cuts it back there.</summary>
/// <remarks>
/// The position is the format's own measure, recorded in the checkpoint and handed back to
/// <see cref="ResultFiles.OpenForBatch"/> on resume: bytes for a text file (JSON lines, CSV), rows
/// for a SQLite database. Everything after it belongs to lines the checkpoint still counts as
/// pending or unread, so cutting it keeps exactly one record per line.
/// </remarks>
public interface IResultFile : IResultSink, IAsyncDisposable
{
    /// <summary>Gets the position up to the last flush: every record before it is whole and on the disk.</summary>
    long FlushedLength { get; }
}
