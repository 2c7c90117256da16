using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Sources;

/// <summary>Turns a byte stream of URL lines (a file, a gzip file, standard input) into work items, one line of memory at a time.</summary>
internal static class UrlLineStream
{
    /// <summary>The read buffer of the byte and text layers.</summary>
    public const int BufferSize = 64 * 1024;

    /// <summary>Gets a value indicating whether a path names a gzip-compressed file (<c>.gz</c>), which is read decompressed.</summary>
    /// <param name="path">The path.</param>
    /// <returns><see langword="true"/> for <c>.gz</c>.</returns>
    public static bool IsCompressed(string path) => path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);

    /// <summary>Wraps a file's stream in a decompressor when the file is gzip-compressed.</summary>
    /// <param name="path">The file's path.</param>
    /// <param name="file">The file's stream; the result owns it.</param>
    /// <returns>The stream of the file's text.</returns>
    public static Stream Decompressed(string path, Stream file) => IsCompressed(path) ? new GZipStream(file, CompressionMode.Decompress) : file;

    /// <summary>Reads the lines of a stream as work items.</summary>
    /// <param name="name">The source name for the items.</param>
    /// <param name="stream">The stream; disposed when the reading ends.</param>
    /// <param name="startAfterLine">Lines up to and including this one are skipped (a resumed run; lines count in the decompressed text).</param>
    /// <param name="onLine">Called after each line is read (progress), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Stops reading.</param>
    /// <returns>The items, in order.</returns>
    public static async IAsyncEnumerable<WorkItem> ReadAsync(string name, Stream stream, long startAfterLine, Action? onLine, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Invalid bytes decode to U+FFFD, which no real URL line contains: the parser reports the
        // line as not UTF-8 rather than the decoder ending the whole input.
        using var text = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true, BufferSize);
        var reader = new BoundedLineReader(text, UrlLineParser.MaxUrlLength + 1);
        long line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is ({ } value, var length))
        {
            line++;
            onLine?.Invoke();
            if (line <= startAfterLine)
            {
                continue;
            }

            if (UrlLineParser.Parse(name, line, value, length) is { } item)
            {
                yield return item;
            }
        }
    }
}
