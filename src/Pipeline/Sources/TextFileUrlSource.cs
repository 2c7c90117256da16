using System.Globalization;
using System.Runtime.CompilerServices;

namespace Pipeline.Sources;

/// <summary>A text file with one URL per line (gzip-compressed when it ends in <c>.gz</c>), read as a stream: a file of any size costs one line of memory.</summary>
/// <param name="path">The file to read.</param>
/// <param name="startAfterLine">Lines up to and including this one are skipped (a resumed run).</param>
public sealed class TextFileUrlSource(string path, long startAfterLine = 0) : IResumableUrlSource, IReadProgress
{
    private long _bytesRead;
    private long _totalBytes = -1;

    /// <inheritdoc />
    public string Name { get; } = path;

    /// <inheritdoc />
    public long? KnownCount => null;

    /// <inheritdoc />
    /// <remarks>The size and last write time: a file edited since the checkpoint is read from the start again.</remarks>
    public string Fingerprint
    {
        get
        {
            var info = new FileInfo(Name);
            return info.Exists ? string.Create(CultureInfo.InvariantCulture, $"{info.Length}:{info.LastWriteTimeUtc.Ticks}") : "missing";
        }
    }

    /// <inheritdoc />
    public IUrlSource StartAfter(SourcePosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return new TextFileUrlSource(Name, position.LastLine);
    }

    /// <inheritdoc />
    public long BytesRead => Volatile.Read(ref _bytesRead);

    /// <inheritdoc />
    public long? TotalBytes => Volatile.Read(ref _totalBytes) is >= 0 and var total ? total : null;

    /// <inheritdoc />
    /// <remarks>A <c>.gz</c> file is read decompressed; its lines, and a checkpoint's line, count in the decompressed text.</remarks>
    public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var file = new FileStream(Name, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite,
            // Unbuffered under the decompressor, which reads in chunks of its own: the file's position is
            // then what was decompressed, not up to 64 KiB ahead of it (a small file would show as read at once).
            BufferSize = UrlLineStream.IsCompressed(Name) ? 0 : UrlLineStream.BufferSize,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        var size = file.Length;
        Volatile.Write(ref _bytesRead, 0);
        Volatile.Write(ref _totalBytes, size);

        // The position of the file itself: for a .gz file, the compressed bytes, which is what its size counts.
        await foreach (var item in UrlLineStream.ReadAsync(Name, UrlLineStream.Decompressed(Name, file), startAfterLine, () => Volatile.Write(ref _bytesRead, file.Position), cancellationToken))
        {
            yield return item;
        }

        Volatile.Write(ref _bytesRead, size);
    }
}
