using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

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

    /// <summary>Creates the optional, watched source of one settings file.</summary>
    /// <param name="path">The file's full path; neither it nor its folder needs to exist yet.</param>
    /// <returns>The source.</returns>
    /// <remarks>
    /// The file provider is made here rather than by <c>ResolveFileProvider()</c>: a provider that
    /// resolved it owns it and disposes it (and its watch) whenever the configuration manager rebuilds
    /// its providers, which it does on every change to the list of sources. This one lives as long as
    /// the process, so the watch survives every rebuild.
    /// </remarks>
    public static LastGoodJsonConfigurationSource ForFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);

        // The nearest folder that exists is watched, so a folder created later (with the file) is seen too.
        var root = System.IO.Path.GetDirectoryName(path);
        while (!string.IsNullOrEmpty(root) && !Directory.Exists(root))
        {
            root = System.IO.Path.GetDirectoryName(root);
        }

        root ??= System.IO.Path.GetPathRoot(path)!;
        return new LastGoodJsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(root, ExclusionFilters.None),
            Path = System.IO.Path.GetRelativePath(root, path),
            Optional = true,
            ReloadOnChange = true,
        };
    }
}
