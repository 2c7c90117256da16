namespace Pipeline.Running;

/// <summary>
/// A 64-bit fingerprint of a string (FNV-1a over its UTF-16 code units): what the run's duplicate
/// tracker keys URLs on, and what a collector de-duplicates message ids with, so memory is 8 bytes
/// per entry whatever the length of the string.
/// </summary>
/// <remarks>
/// Stable across processes and runs (no per-process seed, unlike <see cref="string.GetHashCode()"/>).
/// With 64 bits, a false match among a million entries has a probability of about 3e-8.
/// </remarks>
public static class UrlFingerprint
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    /// <summary>Computes the fingerprint of a string.</summary>
    /// <param name="value">The string: an absolute URL, a message id.</param>
    /// <returns>The 64-bit fingerprint.</returns>
    public static ulong Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var hash = FnvOffset;
        foreach (var c in value)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return hash;
    }
}
