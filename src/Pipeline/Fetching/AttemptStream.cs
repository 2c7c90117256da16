namespace Pipeline.Fetching;

/// <summary>
/// A connection's stream as the handler sees it: passes every byte through, and tells the attempt whose
/// request it carries when the connection ends before the response began (see <see cref="AttemptWire"/>).
/// </summary>
/// <remarks>
/// The request is written in the flow of the fetcher's <c>SendAsync</c>, so <see cref="AttemptWire.Current"/>
/// names its attempt; writes outside any attempt (a TLS handshake during connection set-up) are not
/// requests. Over TLS a server's <c>close_notify</c> alert arrives as bytes before the end: such a
/// connection counts as answered, and the handler's own re-send (at most three) is not prevented.
/// </remarks>
/// <param name="inner">The connected stream.</param>
internal sealed class AttemptStream(Stream inner) : Stream
{
    private AttemptWire? _attempt;
    private bool _answered;

    public override bool CanRead => inner.CanRead;

    public override bool CanSeek => false;

    public override bool CanWrite => inner.CanWrite;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Flush() => inner.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override int Read(byte[] buffer, int offset, int count) => Received(inner.Read(buffer, offset, count), count);

    public override int Read(Span<byte> buffer) => Received(inner.Read(buffer), buffer.Length);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // Every response waits here at least once: complete synchronously when the bytes are there,
        // and pool the state machine when they are not (one allocation per request otherwise).
        var read = inner.ReadAsync(buffer, cancellationToken);
        return read.IsCompletedSuccessfully ? ValueTask.FromResult(Received(read.Result, buffer.Length)) : AwaitReceivedAsync(read, buffer.Length);
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        Sending();
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Sending();
        inner.Write(buffer);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Sending();
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<int> AwaitReceivedAsync(ValueTask<int> read, int requested)
        => Received(await read.ConfigureAwait(false), requested);

    private void Sending()
    {
        if (AttemptWire.Current is not { } attempt || (ReferenceEquals(attempt, _attempt) && !_answered))
        {
            return;
        }

        // A new request starts on this connection. If this attempt's request already went out once and
        // the connection ended unanswered, this is the handler re-sending it: refuse before a byte leaves.
        if (attempt.Unanswered)
        {
            throw new ResendRefusedException();
        }

        _attempt = attempt;
        _answered = false;
    }

    private int Received(int read, int requested)
    {
        if (_attempt is { } attempt && requested > 0)
        {
            if (read > 0)
            {
                _answered = true;
            }
            else if (!_answered)
            {
                attempt.MarkUnanswered();
            }
        }

        return read;
    }
}
