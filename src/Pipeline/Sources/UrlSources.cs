namespace Pipeline.Sources;

/// <summary>Builds the sources the options describe.</summary>
public static class UrlSources
{
    /// <summary>The source name of the <c>Pipeline:Urls</c> list.</summary>
    public const string SettingsSourceName = "settings";

    /// <summary>Creates one source for the <c>Urls</c> list (if any) and one per file (<c>-</c>: standard input).</summary>
    /// <param name="options">The options.</param>
    /// <returns>The sources, possibly none.</returns>
    public static IReadOnlyList<IUrlSource> FromOptions(PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sources = new List<IUrlSource>();
        if (options.Urls.Count > 0)
        {
            sources.Add(new ListUrlSource(SettingsSourceName, [.. options.Urls]));
        }

        foreach (var file in options.Files)
        {
            sources.Add(file == StandardInputUrlSource.Path ? new StandardInputUrlSource() : new TextFileUrlSource(file));
        }

        return sources;
    }
}
