using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipeline.Worker.Hosting.Service;

/// <summary>
/// Finds the inbox files that are ready: matching the pattern (case-insensitive by default) and
/// unchanged in size and last-write time since the previous poll, so that a file still being written
/// is not read half-way. Every other file is logged once, so a mistyped name never waits in silence.
/// </summary>
internal sealed class InboxWatcher
{
    private readonly string _inbox;
    private readonly string _pattern;
    private readonly EnumerationOptions _matching;
    private readonly ILogger _logger;
    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FileStamp> _skipped = new(StringComparer.Ordinal);
    private Dictionary<string, FileStamp> _seen = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="InboxWatcher"/> class.</summary>
    /// <param name="inbox">The folder to watch.</param>
    /// <param name="pattern">The file name pattern (<c>*</c> and <c>?</c>).</param>
    /// <param name="caseSensitive">Whether the pattern's case must match.</param>
    /// <param name="logger">Where ignored files are reported.</param>
    public InboxWatcher(string inbox, string pattern = ServiceDefaults.Pattern, bool caseSensitive = false, ILogger? logger = null)
    {
        _inbox = inbox;
        _pattern = pattern;
        _logger = logger ?? NullLogger.Instance;

        // Win32 matching would let "*.txt" also take "a.txtx" (8.3 names); Simple means what it says.
        _matching = new EnumerationOptions
        {
            MatchType = MatchType.Simple,
            MatchCasing = caseSensitive ? MatchCasing.CaseSensitive : MatchCasing.CaseInsensitive,
            IgnoreInaccessible = false,
            RecurseSubdirectories = false,
        };
    }

    /// <summary>Looks at the inbox once.</summary>
    /// <returns>The files seen unchanged by this poll and the one before, in ordinal name order.</returns>
    public IReadOnlyList<string> Poll()
    {
        var current = new Dictionary<string, FileStamp>(StringComparer.Ordinal);
        var ready = new List<string>();
        var matching = new HashSet<string>(StringComparer.Ordinal);

        // An inbox deleted under a running service is made again rather than ending the service.
        Directory.CreateDirectory(_inbox);
        foreach (var file in new DirectoryInfo(_inbox).EnumerateFiles(_pattern, _matching))
        {
            matching.Add(file.FullName);
            if (IsOurs(file.Name))
            {
                continue;
            }

            var stamp = new FileStamp(file.Length, file.LastWriteTimeUtc);
            current[file.FullName] = stamp;
            if (_skipped.TryGetValue(file.FullName, out var skipped) && skipped == stamp)
            {
                // Skipped as it is (unreadable, or could not be moved): a new version is tried again.
                continue;
            }

            if (_seen.TryGetValue(file.FullName, out var before) && before == stamp)
            {
                ready.Add(file.FullName);
            }
        }

        ReportIgnored(matching);
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

    /// <summary>Leaves a file alone until it changes (it could not be read or moved; already logged).</summary>
    /// <param name="path">A path <see cref="Poll"/> returned.</param>
    public void Skip(string path)
    {
        var file = new FileInfo(path);
        if (file.Exists)
        {
            _skipped[path] = new FileStamp(file.Length, file.LastWriteTimeUtc);
        }
    }

    // Files the service itself writes into the inbox, or that are still being written by convention.
    private static bool IsOurs(string name)
        => name.EndsWith(ServiceDefaults.PartSuffix, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(ServiceDefaults.FailedSuffix, StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(ServiceDefaults.FailedSuffix + ServiceDefaults.ReasonSuffix, StringComparison.OrdinalIgnoreCase);

    private void ReportIgnored(HashSet<string> matching)
    {
        foreach (var file in Directory.EnumerateFiles(_inbox))
        {
            if (!matching.Contains(file) && !IsOurs(Path.GetFileName(file)) && _reported.Add(file))
            {
                Log.InboxFileIgnored(_logger, Path.GetFileName(file), _pattern);
            }
        }

        // A file removed and dropped again is reported again.
        _reported.RemoveWhere(f => !File.Exists(f));
    }

    private readonly record struct FileStamp(long Length, DateTime LastWriteUtc);
}
