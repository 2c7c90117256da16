using Microsoft.Extensions.Logging;

namespace Pipeline.RabbitMq;

/// <summary>
/// Saves the producer's state while it publishes: once before the first message, then every interval in
/// the background, so a <c>kill -9</c> loses at most the confirmations of one interval (and the unconfirmed
/// tail), which the next run publishes again under the same message ids.
/// </summary>
/// <remarks>
/// A background save never holds up the publish loop (an fsync takes milliseconds on a busy disk), and
/// one save at a time keeps the file's order the order of the snapshots. The last save and the clear
/// wait for it, so a late background save can never bring back state that was just cleared.
/// </remarks>
/// <param name="directory">The producer's state folder.</param>
/// <param name="interval">How often to save; zero saves only at the start and when the run ends.</param>
/// <param name="timeProvider">The clock.</param>
/// <param name="logger">Where a failed background save is reported.</param>
internal sealed class ProducerCheckpoints(string directory, TimeSpan interval, TimeProvider timeProvider, ILogger logger)
{
    private Task _saving = Task.CompletedTask;
    private long _lastSave = timeProvider.GetTimestamp();

    /// <summary>Starts a background save of the progress when the interval has passed since the last save and none is under way.</summary>
    public void SaveIfDue(ProducerProgress progress)
    {
        if (interval <= TimeSpan.Zero || !_saving.IsCompleted || timeProvider.GetElapsedTime(_lastSave) < interval)
        {
            return;
        }

        // The snapshot is taken here, between two confirmations: count and positions of one moment.
        var state = progress.Snapshot();
        _lastSave = timeProvider.GetTimestamp();
        _saving = Task.Run(() => SaveQuietlyAsync(state));
    }

    /// <summary>Saves now, after any background save, and fails if the save does.</summary>
    public async Task SaveAsync(ProducerState state, CancellationToken cancellationToken)
    {
        await _saving;
        await ProducerStateFile.SaveAsync(directory, state, cancellationToken);
        _lastSave = timeProvider.GetTimestamp();
    }

    /// <summary>Forgets the batch, after any background save.</summary>
    public async Task ClearAsync()
    {
        await _saving;
        ProducerStateFile.Clear(directory);
    }

    // A failed save only widens what a kill would repeat: reported, and tried again at the next interval.
    private async Task SaveQuietlyAsync(ProducerState state)
    {
        try
        {
            await ProducerStateFile.SaveAsync(directory, state, CancellationToken.None);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.CheckpointFailed(logger, ProducerStateFile.PathIn(directory), ex);
        }
    }
}
