using System.Buffers;

namespace Pipeline.Sinks;

/// <summary>
/// The text result files' way to the disk: records are serialised into a buffer of its own and handed
/// to the stream in chunks of about 32 KiB and on every flush (one stream write per hundred-odd
/// results instead of two per result); a flush of a file is also an fsync, so what it counts in
/// <see cref="FlushedLength"/> is on the disk.
/// </summary>
/// <param name="stream">The stream; this owns and disposes it.</param>
/// <param name="fsync">Whether a flush of a <see cref="FileStream"/> also makes its data durable; off only to measure what that costs.</param>
internal sealed class ChunkedResultStream(Stream stream, bool fsync = true) : IAsyncDisposable
{
    private const int ChunkSize = 32 * 1024;

    private readonly ArrayBufferWriter<byte> _buffer = new(ChunkSize + (4 * 1024));

    /// <summary>Gets the buffer records are written into.</summary>
    public IBufferWriter<byte> Buffer => _buffer;

    /// <summary>Gets or sets the length of the file up to the last flush: every record before it is whole and on the disk.</summary>
    public long FlushedLength { get; set; }

    /// <summary>Hands a full chunk to the stream; called after each record.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes at once unless a chunk was full.</returns>
    public ValueTask RecordWrittenAsync(CancellationToken cancellationToken)
        => _buffer.WrittenCount >= ChunkSize ? WriteBufferedAsync(cancellationToken) : ValueTask.CompletedTask;

    /// <summary>Writes what is buffered, flushes, and for a file fsyncs and records the flushed length.</summary>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes once the data is on the disk.</returns>
    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        await WriteBufferedAsync(cancellationToken);
        if (stream is FileStream file)
        {
            file.Flush(flushToDisk: fsync);
            FlushedLength = file.Position;
        }
        else
        {
            await stream.FlushAsync(cancellationToken);
        }
    }

    /// <summary>Writes what is buffered, then closes the stream.</summary>
    /// <returns>A task that completes when the stream is closed.</returns>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await WriteBufferedAsync(CancellationToken.None);
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    private async ValueTask WriteBufferedAsync(CancellationToken cancellationToken)
    {
        if (_buffer.WrittenCount == 0)
        {
            return;
        }

        await stream.WriteAsync(_buffer.WrittenMemory, cancellationToken);
        _buffer.ResetWrittenCount();
    }
}
