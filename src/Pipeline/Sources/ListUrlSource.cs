using System.Runtime.CompilerServices;

namespace Pipeline.Sources;

/// <summary>A source over URLs held in memory: the <c>Urls</c> list of the settings, or the demo list.</summary>
/// <param name="name">The source name used in results.</param>
/// <param name="urls">The URLs; positions are reported 1-based as line numbers.</param>
public sealed class ListUrlSource(string name, IReadOnlyList<string> urls) : IUrlSource
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public long? KnownCount
    {
        get
        {
            long count = 0;
            foreach (var url in urls)
            {
                if (UrlLineParser.Parse(Name, 0, url) is not null)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Yield once so that a long list never runs synchronously inside the caller's start-up.
        await Task.Yield();
        for (var i = 0; i < urls.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (UrlLineParser.Parse(Name, i + 1, urls[i]) is { } item)
            {
                yield return item;
            }
        }
    }
}
