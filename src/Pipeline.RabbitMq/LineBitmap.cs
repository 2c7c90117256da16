namespace Pipeline.RabbitMq;

/// <summary>One bit per line of a source: which lines already have a result.</summary>
/// <remarks>10 million lines take 1.25 MB, however long the URLs are, and the bits go to the ledger as they are.</remarks>
internal sealed class LineBitmap
{
    private byte[] _bits;

    public LineBitmap(byte[]? bits = null) => _bits = bits ?? new byte[64];

    /// <summary>Gets the bits, as many bytes as the highest line needs (and a little spare).</summary>
    public ReadOnlySpan<byte> Bits => _bits;

    /// <summary>Marks a line; false when it was already marked.</summary>
    public bool Add(long line)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(line);
        var index = line >> 3;
        if (index >= _bits.Length)
        {
            // Doubling keeps the copies few; a source's lines arrive roughly in order.
            Array.Resize(ref _bits, (int)Math.Max(index + 1, Math.Min((long)_bits.Length * 2, Array.MaxLength)));
        }

        var mask = (byte)(1 << (int)(line & 7));
        if ((_bits[index] & mask) != 0)
        {
            return false;
        }

        _bits[index] |= mask;
        return true;
    }
}
