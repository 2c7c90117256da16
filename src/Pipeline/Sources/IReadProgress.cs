namespace Pipeline.Sources;

/// <summary>A source that can tell how much of its input it has read: the share of a file, for a progress display's finish line.</summary>
public interface IReadProgress
{
    /// <summary>Gets the bytes read so far (of a compressed file, the compressed bytes).</summary>
    long BytesRead { get; }

    /// <summary>Gets the size of the input in the same bytes, or <see langword="null"/> when not known (not read yet, or a stream).</summary>
    long? TotalBytes { get; }
}
