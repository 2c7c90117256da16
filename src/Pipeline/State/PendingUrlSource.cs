using System.Runtime.CompilerServices;
using System.Text.Json;
using Pipeline.Sources;

namespace Pipeline.State;

/// <summary>The URLs a stopped run left unfetched, read back from the state folder with their original source and line.</summary>
/// <param name="path">The pending file (JSON lines: source, line, url).</param>
/// <param name="skip">How many entries to skip (already taken by a run that was stopped again).</param>
internal sealed class PendingUrlSource(string path, long skip = 0) : IUrlSource
{
    /// <summary>The name this source reports in logs and positions; items keep their own source names.</summary>
    public const string SourceName = "pending";

    public string Name => SourceName;

    public long? KnownCount => null;

    public string Path { get; } = path;

    public long Skip { get; } = skip;

    public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var item in ReadEntriesAsync(Path, Skip, cancellationToken))
        {
            yield return item;
        }
    }

    internal static async IAsyncEnumerable<WorkItem> ReadEntriesAsync(string path, long skip, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(path);
        long index = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0 || index++ < skip)
            {
                continue;
            }

            using var entry = JsonDocument.Parse(line);
            var root = entry.RootElement;
            var source = root.GetProperty("source").GetString() ?? SourceName;
            var number = root.GetProperty("line").GetInt64();
            var url = root.GetProperty("url").GetString() ?? string.Empty;
            yield return UrlLineParser.ParseEntry(source, number, url)!;
        }
    }
}
