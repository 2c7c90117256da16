namespace Pipeline.Worker.Hosting;

/// <summary>One file of the settings search order.</summary>
/// <param name="Path">The full path.</param>
/// <param name="Role">Whether it holds the shipped defaults or the operator's settings.</param>
internal sealed record SettingsFile(string Path, SettingsFileRole Role)
{
    /// <summary>Gets a value indicating whether the file exists now.</summary>
    public bool Exists => File.Exists(Path);
}
