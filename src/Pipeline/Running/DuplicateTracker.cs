namespace Pipeline.Running;

/// <summary>
/// Remembers which URLs a run has taken, by a 64-bit hash, so repeats are reported instead of fetched
/// again. Memory is capped: past <see cref="Capacity"/> URLs it stops remembering new ones (and says
/// so) rather than growing with the input.
/// </summary>
internal sealed class DuplicateTracker
{
    /// <summary>How many distinct URLs are remembered at most (about 40 MB).</summary>
    public const int Capacity = 1_000_000;

    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;
    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, (string Source, long Line)> _seen = [];

    /// <summary>Gets a value indicating whether the tracker is full and no longer remembers new URLs.</summary>
    public bool IsFull { get; private set; }

    /// <summary>Records a URL; returns where it was first seen when it is a repeat.</summary>
    /// <param name="url">The URL.</param>
    /// <param name="source">Where this occurrence comes from.</param>
    /// <param name="line">Its line.</param>
    /// <param name="firstSeen">The first occurrence, when a repeat.</param>
    /// <returns><see langword="true"/> when the URL was seen before.</returns>
    public bool IsRepeat(Uri url, string source, long line, out string firstSeen)
    {
        var key = Hash(url.AbsoluteUri);
        lock (_gate)
        {
            if (_seen.TryGetValue(key, out var first))
            {
                firstSeen = $"{first.Source}:{first.Line}";
                return true;
            }

            if (_seen.Count < Capacity)
            {
                _seen.Add(key, (source, line));
            }
            else
            {
                IsFull = true;
            }
        }

        firstSeen = string.Empty;
        return false;
    }

    // FNV-1a over the UTF-16 code units: stable within a run, and with 64 bits a false repeat
    // among a million URLs has a probability of about 3e-8.
    /// <summary>64-bit FNV-1a of a string: what the tracker keys on, and what a collector de-duplicates message ids with.</summary>
    internal static ulong Hash(string value)
    {
        var hash = FnvOffset;
        foreach (var c in value)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return hash;
    }
}
