using Microsoft.Extensions.Configuration.Json;

namespace Pipeline.Worker.Hosting.Settings;

/// <summary>Loads a JSON settings file; a reload that does not parse keeps the data of the last one that did, and records why.</summary>
/// <param name="source">The source.</param>
internal sealed class LastGoodJsonConfigurationProvider(LastGoodJsonConfigurationSource source) : JsonConfigurationProvider(source)
{
    private bool _loaded;

    /// <summary>Gets why the latest reload was refused, or <see langword="null"/> when the file parsed.</summary>
    public SettingsFileError? Error { get; private set; }

    /// <inheritdoc />
    public override void Load()
    {
        // The first load is the start-up one, found or not: an operator's file created or saved
        // broken later is a reload, which keeps the settings (the process must not crash on it).
        base.Load();
        _loaded = true;
    }

    /// <inheritdoc />
    public override void Load(Stream stream)
    {
        try
        {
            // The base assigns Data only after the whole file parsed: a failure leaves it as it was.
            base.Load(stream);
            _loaded = true;
            Error = null;
        }
        catch (FormatException ex) when (_loaded)
        {
            // At start-up a broken file still fails the start; later, the running settings stay.
            var path = Source.Path ?? string.Empty;
            Error = SettingsFileError.From(Source.FileProvider?.GetFileInfo(path).PhysicalPath ?? path, ex);
        }
    }
}
