using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Sources;

/// <summary>A text file with one URL per line, read as a stream: a file of any size costs one line of memory.</summary>
/// <param name="path">The file to read.</param>
/// <param name="startAfterLine">Lines up to and including this one are skipped (a resumed run).</param>
public sealed class TextFileUrlSource(string path, long startAfterLine = 0) : IResumableUrlSource
{
    private const int BufferSize = 64 * 1024;

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
    public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var stream = new FileStream(Name, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.ReadWrite,
            BufferSize = BufferSize,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });

        // Invalid bytes decode to U+FFFD, which no real URL line contains: the parser reports the
        // line as not UTF-8 rather than the decoder ending the whole file.
        using var text = new StreamReader(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), detectEncodingFromByteOrderMarks: true, BufferSize);
        var reader = new BoundedLineReader(text, UrlLineParser.MaxUrlLength + 1);
        long line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is ({ } value, var length))
        {
            line++;
            if (line <= startAfterLine)
            {
                continue;
            }

            if (UrlLineParser.Parse(Name, line, value, length) is { } item)
            {
                yield return item;
            }
        }
    }
}
