using System.Runtime.InteropServices;

namespace Pipeline.State;

/// <summary>
/// The few file operations that make "written" mean "on the disk": whole files replaced atomically,
/// appends made durable, and the partial last line a crash can leave behind repaired.
/// </summary>
/// <remarks>
/// Shared by the batch state (<see cref="RunStateStore"/>), the results file and the broker roles'
/// ledgers, so that every file the pipeline promises not to lose is written the same careful way.
/// </remarks>
public static partial class DurableFile
{
    /// <summary>Replaces a file with new content so that a crash leaves either the old file or the new one, never a mix.</summary>
    /// <param name="path">The file.</param>
    /// <param name="content">The whole new content.</param>
    /// <param name="cancellationToken">Stops the write (the old file stays).</param>
    /// <returns>A task that completes when the new content and its name are on the disk.</returns>
    /// <remarks>Written to <c>path.tmp</c>, fsync'd, renamed over <paramref name="path"/>, then the folder is fsync'd so that the rename itself survives a power cut.</remarks>
    public static async Task WriteAtomicAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(directory);
        var temporary = full + ".tmp";
        await using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
        {
            await stream.WriteAsync(content, cancellationToken);
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, full, overwrite: true);
        SyncDirectory(directory);
    }

    /// <summary>Makes the entries of a folder (files created, renamed or deleted in it) durable.</summary>
    /// <param name="directory">The folder.</param>
    /// <remarks>A no-op on Windows, where NTFS journals its metadata and a folder cannot be opened as a file.</remarks>
    public static void SyncDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        // .NET opens no folder as a file, so this is the one place that calls libc directly.
        var descriptor = NativeMethods.Open(directory, NativeMethods.ReadOnly | NativeMethods.Directory);
        if (descriptor < 0)
        {
            throw new IOException($"{directory}: could not be opened to make its entries durable (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (NativeMethods.Fsync(descriptor) != 0)
            {
                throw new IOException($"{directory}: fsync failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = NativeMethods.Close(descriptor);
        }
    }

    /// <summary>Moves a file or folder aside under a name that says when and why, never deleting it.</summary>
    /// <param name="path">The file or folder.</param>
    /// <param name="reason">A word for the new name (<c>discarded</c>, <c>damaged</c>, <c>other-batch</c>).</param>
    /// <param name="timeProvider">The clock for the name.</param>
    /// <returns>The new path.</returns>
    public static string MoveAside(string path, string reason, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        var stamp = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var target = $"{full}.{reason}-{stamp}";
        for (var n = 2; File.Exists(target) || Directory.Exists(target); n++)
        {
            target = $"{full}.{reason}-{stamp}-{n}";
        }

        if (Directory.Exists(full))
        {
            Directory.Move(full, target);
        }
        else
        {
            File.Move(full, target);
        }

        SyncDirectory(Path.GetDirectoryName(full)!);
        return target;
    }

    /// <summary>Makes a JSON-lines file end at a line boundary before anything is appended to it.</summary>
    /// <param name="stream">The file, open for reading and writing.</param>
    /// <param name="mode">Whether to cut a partial last line off, or to end it with a newline so that it stays visible as one bad line.</param>
    /// <returns>What was done.</returns>
    /// <remarks>
    /// A crash in the middle of an append leaves a last line without its newline; appending to it
    /// would glue the next record onto it and make two records one invalid line.
    /// </remarks>
    public static TailRepair RepairTail(FileStream stream, TailRepairMode mode)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var length = stream.Length;
        if (length == 0)
        {
            return TailRepair.None;
        }

        // Walk back to the last newline, a block at a time.
        var block = new byte[4096];
        var end = length;
        while (end > 0)
        {
            var size = (int)Math.Min(block.Length, end);
            stream.Position = end - size;
            stream.ReadExactly(block, 0, size);
            var index = Array.LastIndexOf(block, (byte)'\n', size - 1, size);
            if (index >= 0)
            {
                var boundary = end - size + index + 1;
                return boundary == length ? TailRepair.None : Repair(stream, boundary, length, mode);
            }

            end -= size;
        }

        return Repair(stream, 0, length, mode);
    }

    private static TailRepair Repair(FileStream stream, long boundary, long length, TailRepairMode mode)
    {
        if (mode == TailRepairMode.Trim)
        {
            stream.SetLength(boundary);
            stream.Flush(flushToDisk: true);
            return new TailRepair(TailRepairAction.Trimmed, length - boundary);
        }

        stream.Position = length;
        stream.WriteByte((byte)'\n');
        stream.Flush(flushToDisk: true);
        return new TailRepair(TailRepairAction.Ended, length - boundary);
    }

    private static partial class NativeMethods
    {
        public const int ReadOnly = 0;

        // O_DIRECTORY: 0x10000 on Linux x64/arm64, 0x100000 on macOS.
        public static readonly int Directory = OperatingSystem.IsMacOS() ? 0x100000 : 0x10000;

        [DllImport("libc", EntryPoint = "open", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

        [DllImport("libc", EntryPoint = "fsync", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Fsync(int descriptor);

        [DllImport("libc", EntryPoint = "close", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int Close(int descriptor);
    }
}
