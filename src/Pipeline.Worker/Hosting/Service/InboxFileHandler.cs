using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Pipeline.Worker.Hosting.Service;

/// <summary>
/// Runs one inbox file's batch so that nothing the file system does to it ends the service: a file
/// that vanishes or cannot be read is logged and skipped, an I/O error (a full disk, a lock) is
/// retried with a doubling back-off, and a file that still fails is quarantined as
/// <c>name.failed</c> with the reason in <c>name.failed.reason</c>.
/// </summary>
/// <param name="options">The service options (done folder, attempts, back-off).</param>
/// <param name="timeProvider">The clock the back-off waits on.</param>
/// <param name="logger">The logger.</param>
internal sealed class InboxFileHandler(ServiceOptions options, TimeProvider timeProvider, ILogger logger)
{
    /// <summary>Runs a file's batch with retries, then moves the file where it belongs.</summary>
    /// <param name="path">The inbox file.</param>
    /// <param name="batch">Runs the batch; returns <see langword="false"/> when it was stopped before the end.</param>
    /// <param name="cancellationToken">Stops the waits and the batch.</param>
    /// <returns>What became of the file.</returns>
    public async Task<InboxFileOutcome> RunAsync(string path, Func<CancellationToken, Task<bool>> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var name = Path.GetFileName(path);
        var delay = options.RetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            if (Unreadable(path) is { } outcome)
            {
                return outcome;
            }

            bool finished;
            try
            {
                finished = await batch(cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception) when (!File.Exists(path))
            {
                Log.InboxFileVanished(logger, name);
                return InboxFileOutcome.Vanished;
            }
            catch (IOException ex) when (attempt < options.Attempts)
            {
                Log.InboxFileRetrying(logger, name, attempt, options.Attempts, delay, ex.Message);
                await Task.Delay(delay, timeProvider, cancellationToken);
                delay += delay;
                continue;
            }
            catch (Exception ex)
            {
                return Quarantine(path, ex);
            }

            if (!finished)
            {
                Log.InboxFileLeft(logger, name);
                return InboxFileOutcome.Left;
            }

            return MoveToDone(path);
        }
    }

    // Opened once before the batch, so a missing or forbidden file is told apart from a failing batch.
    private InboxFileOutcome? Unreadable(string path)
    {
        var name = Path.GetFileName(path);
        try
        {
            using (File.OpenRead(path))
            {
                return null;
            }
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            Log.InboxFileVanished(logger, name);
            return InboxFileOutcome.Vanished;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            Log.InboxFileUnreadable(logger, name, ex.Message);
            return InboxFileOutcome.Skipped;
        }
    }

    private InboxFileOutcome Quarantine(string path, Exception reason)
    {
        var name = Path.GetFileName(path);
        var failed = path + ServiceDefaults.FailedSuffix;
        try
        {
            File.Move(path, failed, overwrite: true);
            var text = string.Create(CultureInfo.InvariantCulture, $"{timeProvider.GetUtcNow():O} {name} failed: {reason.GetType().Name}: {reason.Message}{Environment.NewLine}");
            File.WriteAllText(failed + ServiceDefaults.ReasonSuffix, text);
            Log.InboxFileFailed(logger, name, failed, failed + ServiceDefaults.ReasonSuffix, reason);
            return InboxFileOutcome.Quarantined;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException && !File.Exists(path) && !File.Exists(failed))
        {
            Log.InboxFileVanished(logger, name);
            return InboxFileOutcome.Vanished;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.InboxFileNotMoved(logger, name, failed, ex.Message, reason);
            return InboxFileOutcome.Skipped;
        }
    }

    private InboxFileOutcome MoveToDone(string path)
    {
        var name = Path.GetFileName(path);
        var done = Path.Combine(options.Done, name);
        try
        {
            Directory.CreateDirectory(options.Done);
            File.Move(path, done, overwrite: true);
            Log.InboxFileDone(logger, name, Path.GetFullPath(done));
            return InboxFileOutcome.Done;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException && !File.Exists(path))
        {
            // Its results are written; only the input is gone (deleted by hand mid-batch).
            Log.InboxFileVanishedAfterBatch(logger, name);
            return InboxFileOutcome.Vanished;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.InboxFileNotMoved(logger, name, done, ex.Message, null);
            return InboxFileOutcome.Skipped;
        }
    }
}
