using System.Globalization;
using System.Security.Cryptography;
using System.Runtime.CompilerServices;
using System.Text;

namespace Pipeline.Sources;

/// <summary>A source over URLs held in memory: the <c>Urls</c> list of the settings, or the demo list.</summary>
/// <param name="name">The source name used in results.</param>
/// <param name="urls">The URLs; positions are reported 1-based as line numbers.</param>
/// <param name="startAfter">Positions up to and including this one are skipped (a resumed run).</param>
public sealed class ListUrlSource(string name, IReadOnlyList<string> urls, long startAfter = 0) : IResumableUrlSource
{
    /// <inheritdoc />
    public string Name { get; } = name;

    /// <inheritdoc />
    public long? KnownCount
    {
        get
        {
            long count = 0;
            for (var i = (int)Math.Min(startAfter, urls.Count); i < urls.Count; i++)
            {
                if (UrlLineParser.ParseEntry(Name, i + 1, urls[i]) is not null)
                {
                    count++;
                }
            }

            return count;
        }
    }

    /// <inheritdoc />
    public string Fingerprint
    {
        get
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var url in urls)
            {
                hash.AppendData(Encoding.UTF8.GetBytes(url + "\n"));
            }

            return string.Create(CultureInfo.InvariantCulture, $"{urls.Count}:{Convert.ToHexString(hash.GetHashAndReset(), 0, 8)}");
        }
    }

    /// <inheritdoc />
    public IUrlSource StartAfter(SourcePosition position)
    {
        ArgumentNullException.ThrowIfNull(position);
        return new ListUrlSource(Name, urls, position.LastLine);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<WorkItem> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Yield once so that a long list never runs synchronously inside the caller's start-up.
        await Task.Yield();
        for (var i = (int)Math.Min(startAfter, urls.Count); i < urls.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (UrlLineParser.ParseEntry(Name, i + 1, urls[i]) is { } item)
            {
                yield return item;
            }
        }
    }
}
