using Pipeline.State;

namespace Pipeline.Processing;

/// <summary>
/// The <c>save</c> step: writes the body that was kept to <c>Pipeline:Process:SaveDirectory</c> under its
/// SHA-256 (<c>ab/abcdef….body</c>), durably, and puts the full path in the record (<c>saved</c>).
/// </summary>
/// <remarks>
/// Content-addressed: the same body is stored once, whichever URLs gave it. Written to a temporary file
/// of its own (two workers may save the same body at once), fsync'd, renamed into place, and the folder
/// fsync'd, so a path in the results file names a whole file even after a power cut.
/// </remarks>
internal sealed class SaveProcessor : IResultProcessor
{
    public const string StepName = "save";

    public string Name => StepName;

    public bool NeedsBody => true;

    public async ValueTask ProcessAsync(ProcessContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hash = context.Sha256();
        var folder = Path.Combine(Path.GetFullPath(context.Options.SaveDirectory), hash[..2]);
        var path = Path.Combine(folder, hash + ".body");
        if (!File.Exists(path))
        {
            if (!Directory.Exists(folder))
            {
                Directory.CreateDirectory(folder);
                DurableFile.SyncDirectory(Path.GetDirectoryName(folder)!);
            }

            var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
            try
            {
                await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 0, FileOptions.Asynchronous))
                {
                    await stream.WriteAsync(context.Body, cancellationToken);
                    stream.Flush(flushToDisk: true);
                }

                // Same name, same content: a body another worker saved meanwhile is simply replaced by itself.
                File.Move(temporary, path, overwrite: true);
            }
            catch
            {
                File.Delete(temporary);
                throw;
            }

            DurableFile.SyncDirectory(folder);
        }

        context.Output.Set("saved", path);
    }
}
