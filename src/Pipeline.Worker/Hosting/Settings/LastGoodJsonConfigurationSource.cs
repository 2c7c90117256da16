using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;

namespace Pipeline.Worker.Hosting.Settings;

/// <summary>A watched JSON settings file whose edits that do not parse leave the last good settings in force.</summary>
/// <remarks>
/// The stock provider empties its data when a reload fails to parse, so every setting of the file
/// silently falls back to its default (or to the next source) until the file is fixed.
/// </remarks>
internal sealed class LastGoodJsonConfigurationSource : JsonConfigurationSource
{
    /// <inheritdoc />
    public override IConfigurationProvider Build(IConfigurationBuilder builder)
    {
        EnsureDefaults(builder);
        return new LastGoodJsonConfigurationProvider(this);
    }

    /// <summary>Makes every JSON file source of a builder keep its last good settings, in place (precedence unchanged).</summary>
    /// <param name="builder">The configuration builder.</param>
    public static void ReplaceJsonSources(IConfigurationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var sources = builder.Sources;
        for (var i = 0; i < sources.Count; i++)
        {
            if (sources[i] is JsonConfigurationSource json and not LastGoodJsonConfigurationSource)
            {
                sources[i] = new LastGoodJsonConfigurationSource
                {
                    FileProvider = json.FileProvider,
                    Path = json.Path ?? string.Empty,
                    Optional = json.Optional,
                    ReloadOnChange = json.ReloadOnChange,
                    ReloadDelay = json.ReloadDelay,
                    OnLoadException = json.OnLoadException,
                };
            }
        }
    }
}
