namespace Pipeline.Worker.Hosting.Service;

/// <summary>
/// A file whose last-write time says when the service last proved it was alive: touched wherever
/// systemd would get <c>WATCHDOG=1</c>, read by <c>Pipeline.Worker --health</c> (the container's
/// HEALTHCHECK, since the runtime image has no curl and the service no HTTP endpoint).
/// </summary>
/// <param name="path">The file.</param>
/// <param name="timeProvider">The clock.</param>
internal sealed class HeartbeatFile(string path, TimeProvider timeProvider)
{
    /// <summary>Gets the full path of the file.</summary>
    public string Path { get; } = System.IO.Path.GetFullPath(path);

    /// <summary>Records a heartbeat now. A failure is swallowed: the probe then reports the service unhealthy, which is the truth.</summary>
    public void Beat()
    {
        try
        {
            if (!File.Exists(Path))
            {
                Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
                using (File.Create(Path))
                {
                }
            }

            File.SetLastWriteTimeUtc(Path, timeProvider.GetUtcNow().UtcDateTime);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Nothing to do here; the health probe sees a stale heartbeat.
        }
    }

    /// <summary>Tells how old the last heartbeat is.</summary>
    /// <param name="path">The file.</param>
    /// <param name="now">The current time.</param>
    /// <returns>The age, or <see langword="null"/> when there is no heartbeat yet.</returns>
    public static TimeSpan? Age(string path, DateTimeOffset now)
    {
        var file = new FileInfo(path);
        return file.Exists ? now.UtcDateTime - file.LastWriteTimeUtc : null;
    }
}
