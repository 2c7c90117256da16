using System.Buffers;

namespace Pipeline.Processing;

/// <summary>
/// The part of a response body kept for the processing stage: at most <see cref="MaxBytes"/> bytes in a
/// buffer rented from <see cref="ArrayPool{T}.Shared"/>, grown as the body arrives and returned when disposed.
/// </summary>
/// <remarks>
/// One owner at a time: the fetcher fills it, the consumer hands it to the processing channel, one
/// processing worker reads it and disposes it. A body longer than the limit keeps its first
/// <see cref="MaxBytes"/> bytes and says so (<see cref="Truncated"/>): memory stays bounded by the limit
/// times the bodies alive at once, whatever the servers send.
/// </remarks>
public sealed class ResponseBody : IDisposable
{
    private const int InitialSize = 16 * 1024;
    private byte[]? _buffer;
    private int _length;

    /// <summary>Initializes a new instance of the <see cref="ResponseBody"/> class.</summary>
    /// <param name="maxBytes">The most bytes kept.</param>
    public ResponseBody(int maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        MaxBytes = maxBytes;
    }

    /// <summary>Gets the most bytes kept.</summary>
    public int MaxBytes { get; }

    /// <summary>Gets the number of body bytes seen, kept or not.</summary>
    public long TotalBytes { get; private set; }

    /// <summary>Gets a value indicating whether more bytes arrived than were kept.</summary>
    public bool Truncated => TotalBytes > _length;

    /// <summary>Gets the kept bytes.</summary>
    public ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, _length);

    /// <summary>Adds the next bytes of the body; what does not fit under <see cref="MaxBytes"/> is counted, not kept.</summary>
    /// <param name="data">The bytes.</param>
    public void Append(ReadOnlySpan<byte> data)
    {
        TotalBytes += data.Length;
        var room = MaxBytes - _length;
        if (room <= 0 || data.IsEmpty)
        {
            return;
        }

        var take = Math.Min(room, data.Length);
        Ensure(_length + take);
        data[..take].CopyTo(_buffer.AsSpan(_length));
        _length += take;
    }

    /// <summary>Forgets what was kept (a retried attempt reads the body again from its start); the buffer stays.</summary>
    public void Reset() => (_length, TotalBytes) = (0, 0);

    /// <summary>Returns the buffer to the pool.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _length = 0;
    }

    private void Ensure(int needed)
    {
        if (_buffer is not null && _buffer.Length >= needed)
        {
            return;
        }

        // Doubling, capped at the limit: a small page costs one small buffer, a large one a few copies.
        var size = Math.Max(needed, Math.Min(MaxBytes, Math.Max(InitialSize, (_buffer?.Length ?? 0) * 2)));
        var bigger = ArrayPool<byte>.Shared.Rent(size);
        if (_buffer is not null)
        {
            _buffer.AsSpan(0, _length).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = bigger;
    }
}
