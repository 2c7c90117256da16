using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Sources;

/// <summary>A text file with one URL per line, read as a stream: a file of any size costs one line of memory.</summary>
/// <param name="path">The file to read.</param>
public sealed class TextFileUrlSource(string path) : IUrlSource
{
    private const int BufferSize = 64 * 1024;

    /// <inheritdoc />
    public string Name { get; } = path;

    /// <inheritdoc />
    public long? KnownCount => null;

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
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, BufferSize);
        long line = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } text)
        {
            line++;
            if (UrlLineParser.Parse(Name, line, text) is { } item)
            {
                yield return item;
            }
        }
    }
}
