namespace Pipeline.State;

/// <summary>What makes a batch the same batch: its sources and its results file. Not the mode, which may change between runs.</summary>
/// <param name="Sources">The source names (full paths for files), in order.</param>
/// <param name="Output">The results file's full path.</param>
public sealed record BatchIdentity(IReadOnlyList<string> Sources, string Output)
{
    /// <summary>Builds the identity of a batch from its configured sources and results file.</summary>
    /// <param name="sources">The configured sources.</param>
    /// <param name="output">The results file.</param>
    /// <returns>The identity, with file paths made absolute.</returns>
    public static BatchIdentity Of(IEnumerable<Sources.IUrlSource> sources, string output)
    {
        ArgumentNullException.ThrowIfNull(sources);
        return new([.. sources.Select(s => s is Sources.TextFileUrlSource ? Path.GetFullPath(s.Name) : s.Name)], output.Length == 0 ? string.Empty : Path.GetFullPath(output));
    }

    /// <summary>Gets a value indicating whether another identity names the same sources and results file.</summary>
    /// <param name="other">The other identity.</param>
    /// <returns><see langword="true"/> when they are the same batch.</returns>
    public bool SameBatch(BatchIdentity other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Sources.SequenceEqual(other.Sources, StringComparer.Ordinal) && string.Equals(Output, other.Output, StringComparison.Ordinal);
    }

    /// <summary>Describes the batch for a message: <c>a.txt, b.txt → results.jsonl</c>.</summary>
    /// <returns>The description.</returns>
    public string Describe() => $"{string.Join(", ", Sources)} → {(Output.Length == 0 ? "(no results file)" : Output)}";
}
