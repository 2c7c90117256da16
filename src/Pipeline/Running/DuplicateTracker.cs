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
        var key = UrlFingerprint.Of(url.AbsoluteUri);
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
}
