namespace Pipeline.Worker.Hosting.Service;

/// <summary>
/// Finds the inbox files that are ready: unchanged in size and last-write time since the previous
/// poll, so that a file still being written is not read half-way.
/// </summary>
/// <param name="inbox">The folder to watch.</param>
internal sealed class InboxWatcher(string inbox)
{
    private const string Extension = ".txt";
    private Dictionary<string, FileStamp> _seen = new(StringComparer.Ordinal);

    /// <summary>Looks at the inbox once.</summary>
    /// <returns>The files seen unchanged by this poll and the one before, in ordinal name order.</returns>
    public IReadOnlyList<string> Poll()
    {
        var current = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        var ready = new List<string>();
        foreach (var file in new DirectoryInfo(inbox).EnumerateFiles("*" + Extension))
        {
            // The pattern alone would also match longer extensions on some platforms; ".part" files
            // are deliberately left until they are renamed.
            if (!file.Extension.Equals(Extension, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var stamp = new FileStamp(file.Length, file.LastWriteTimeUtc);
            current[file.FullName] = stamp;
            if (_seen.TryGetValue(file.FullName, out var before) && before == stamp)
            {
                ready.Add(file.FullName);
            }
        }

        _seen = current;
        ready.Sort(StringComparer.Ordinal);
        return ready;
    }

    /// <summary>Checks that a file is still as the last poll saw it, for files whose turn comes after a long batch.</summary>
    /// <param name="path">A path <see cref="Poll"/> returned.</param>
    /// <returns><see langword="true"/> when it is unchanged.</returns>
    public bool IsUnchanged(string path)
    {
        var file = new FileInfo(path);
        return file.Exists && _seen.TryGetValue(path, out var stamp) && stamp == new FileStamp(file.Length, file.LastWriteTimeUtc);
    }

    private readonly record struct FileStamp(long Length, DateTime LastWriteUtc);
}
