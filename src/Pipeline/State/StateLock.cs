using System.Globalization;

namespace Pipeline.State;

/// <summary>
/// An exclusive, OS-held lock on a state folder for the lifetime of a process: a second instance that
/// would write the same state (or the same results) is refused instead of silently mixing its writes in.
/// </summary>
/// <remarks>
/// The lock is the file <c>lock</c> in the folder, opened with <see cref="FileShare.None"/>: .NET takes
/// an <c>flock(LOCK_EX)</c> on Unix and a sharing lock on Windows. The operating system drops it when
/// the process ends, however it ends, so a lock left by a killed process is simply taken over. The file
/// is never deleted: deleting it would let two processes hold locks on two different files of one name.
/// Who holds it is written to <c>lock.owner</c> beside it, which a refused instance can read.
/// </remarks>
public sealed class StateLock : IDisposable
{
    /// <summary>The name of the lock file in the folder.</summary>
    public const string FileName = "lock";

    /// <summary>The name of the file saying who holds the lock.</summary>
    public const string OwnerFileName = "lock.owner";

    private readonly FileStream _stream;

    private StateLock(string directory, FileStream stream, int? previousOwner)
    {
        Directory = directory;
        _stream = stream;
        PreviousOwner = previousOwner;
    }

    /// <summary>Gets the locked folder.</summary>
    public string Directory { get; }

    /// <summary>Gets the process id of an earlier holder that ended without releasing the lock (killed, crashed), when there was one.</summary>
    public int? PreviousOwner { get; }

    /// <summary>Takes the lock on a folder, creating the folder if needed.</summary>
    /// <param name="directory">The state folder.</param>
    /// <param name="role">What this process is (<c>batch</c>, <c>service</c>, <c>producer</c>), written for the next one to read.</param>
    /// <returns>The lock; dispose it to release it.</returns>
    /// <exception cref="StateLockedException">Another live process holds it.</exception>
    public static StateLock Acquire(string directory, string role)
    {
        var full = Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(full);
        var path = Path.Combine(full, FileName);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            var owner = ReadOwner(full);
            throw new StateLockedException(full, owner.Pid, owner.Role);
        }

        // We hold it now: whoever the owner file names is gone (or never wrote it).
        var previous = ReadOwner(full);
        var self = Environment.ProcessId;
        var text = string.Create(CultureInfo.InvariantCulture, $"{self} {role} {DateTimeOffset.UtcNow:O}\n");
        File.WriteAllText(Path.Combine(full, OwnerFileName), text);
        return new StateLock(full, stream, previous.Pid is { } pid && pid != self ? pid : null);
    }

    /// <inheritdoc />
    public void Dispose() => _stream.Dispose();

    private static (int? Pid, string? Role) ReadOwner(string directory)
    {
        try
        {
            var parts = File.ReadAllText(Path.Combine(directory, OwnerFileName)).Split(' ', 3);
            return (int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null, parts.Length > 1 ? parts[1] : null);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (null, null);
        }
    }
}
