using Microsoft.Extensions.Logging;
using Pipeline.State;
using Pipeline.Telemetry;

namespace Pipeline.Sinks;

/// <summary>Opening a text results file (JSON lines, CSV): created with its folder, locked against a second writer, cut back to a checkpoint.</summary>
internal static class ResultFileStream
{
    // Far beyond any real file: a byte-range lock there keeps a second writer out without stopping
    // anyone from reading the file (`tail -f`, `jq`) while it is written.
    private const long OutputLockOffset = 1L << 62;

    /// <summary>Opens the file of a batch that keeps state: exclusively, and cut back to the length its last checkpoint recorded.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="resumeAt">The length the checkpoint recorded, or <see langword="null"/> for a new batch (the file starts empty).</param>
    /// <param name="logger">Where to say what was cut off.</param>
    /// <returns>The stream, positioned at its end.</returns>
    /// <exception cref="BatchStateException">Another process writes the file, or it is shorter than the checkpoint says.</exception>
    public static FileStream OpenForBatch(string path, long? resumeAt, ILogger? logger)
    {
        var stream = Open(path, FileMode.OpenOrCreate);
        try
        {
            LockExclusively(stream, path);
            var length = stream.Length;
            var keep = resumeAt ?? 0;
            if (keep > length)
            {
                throw new BatchStateException(path, $"{Path.GetFullPath(path)} is {length} bytes long but the saved checkpoint recorded {keep}: it was replaced or cut since the batch stopped. Move it back, or run with --fresh (Pipeline:Fresh=true) to start the batch again.") { Problem = BatchStateProblem.Damaged };
            }

            if (keep < length)
            {
                stream.SetLength(keep);
                stream.Flush(flushToDisk: true);
                if (resumeAt is not null && logger is not null)
                {
                    Log.ResultsCutBack(logger, path, length - keep, keep);
                }
            }

            stream.Seek(0, SeekOrigin.End);
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens (creating its folder) a results file for writing.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="mode">How to open it.</param>
    /// <returns>The stream.</returns>
    public static FileStream Open(string path, FileMode mode)
    {
        CreateFolder(path);
        return new FileStream(path, new FileStreamOptions
        {
            Mode = mode,
            Access = mode == FileMode.Create ? FileAccess.Write : FileAccess.ReadWrite,
            Share = FileShare.Read,
            // The sinks write in chunks of their own: a second buffer would only copy them.
            BufferSize = 0,
            Options = FileOptions.Asynchronous,
        });
    }

    /// <summary>Creates the folder a results file goes in.</summary>
    /// <param name="path">The file path.</param>
    public static void CreateFolder(string path)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    private static void LockExclusively(FileStream stream, string path)
    {
        if (OperatingSystem.IsMacOS() || OperatingSystem.IsIOS() || OperatingSystem.IsTvOS())
        {
            // FileStream.Lock is not supported there; the state folder's lock still holds.
            return;
        }

        try
        {
            stream.Lock(OutputLockOffset, 1);
        }
        catch (IOException)
        {
            throw new StateLockedException(Path.GetFullPath(path), null, null);
        }
    }
}
