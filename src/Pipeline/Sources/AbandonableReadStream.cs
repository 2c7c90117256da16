namespace Pipeline.Sources;

/// <summary>
/// A read-only stream whose reads stop waiting when cancelled, even over a stream that ignores the token
/// (standard input blocks in <c>read(2)</c> until data comes). The abandoned read finishes, or not, on its
/// own; its bytes are never used, because a cancelled source is not read again.
/// </summary>
/// <param name="inner">The stream; owned and disposed.</param>
internal sealed class AbandonableReadStream(Stream inner) : Stream
{
    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = inner.ReadAsync(buffer, CancellationToken.None);
        return read.IsCompleted || !cancellationToken.CanBeCanceled ? read : new ValueTask<int>(read.AsTask().WaitAsync(cancellationToken));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
