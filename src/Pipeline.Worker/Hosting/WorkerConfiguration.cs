using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.CommandLine;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.FileProviders;
using Pipeline.Worker.Hosting.Settings;
using Pipeline.RabbitMq;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// The one search order of the settings, lowest first: the <c>appsettings.json</c> shipped beside the
/// binary (and its <c>appsettings.{Environment}.json</c>), the entry point's safe defaults, the
/// operator's file, the defaults of a scripted run, environment variables, then the command line.
/// </summary>
/// <remarks>
/// The operator's file is <c>$CONFIGURATION_DIRECTORY/appsettings.json</c> when that variable is set
/// (systemd sets it from <c>ConfigurationDirectory=pipeline</c>, i.e. <c>/etc/pipeline</c>; the image sets
/// <c>/config</c>), else <c>appsettings.json</c> in the working directory (the repository's top-level
/// file for <c>dotnet run --project src/Pipeline.Worker</c>). Every file is watched: a saved edit
/// reloads it, and a service's next batch runs with it.
/// </remarks>
internal static class WorkerConfiguration
{
    /// <summary>The settings file name, in every folder of the search order.</summary>
    public const string FileName = "appsettings.json";

    /// <summary>The variable naming the operator's settings folder (systemd's <c>ConfigurationDirectory=</c>).</summary>
    public const string DirectoryVariable = "CONFIGURATION_DIRECTORY";

    /// <summary>Replaces the host's configuration sources with the documented search order.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="commandLine">The parsed command line.</param>
    /// <param name="binaryDirectory">The folder of the binary (the content root).</param>
    /// <param name="environmentName">The host environment (<c>Production</c> …).</param>
    /// <returns>The settings files in the order they apply, each with whether it exists.</returns>
    public static IReadOnlyList<SettingsFile> AddPipelineSettings(this IConfigurationManager configuration, CommandLine commandLine, string binaryDirectory, string environmentName)
        => configuration.AddPipelineSettings(commandLine, binaryDirectory, environmentName, Directory.GetCurrentDirectory(), Environment.GetEnvironmentVariable(DirectoryVariable));

    /// <summary>Replaces the host's configuration sources with the documented search order, for the given folders.</summary>
    /// <param name="configuration">The host's configuration.</param>
    /// <param name="commandLine">The parsed command line.</param>
    /// <param name="binaryDirectory">The folder of the binary (the content root).</param>
    /// <param name="environmentName">The host environment (<c>Production</c> …).</param>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="configurationDirectory">The value of <c>$CONFIGURATION_DIRECTORY</c>, or <see langword="null"/>.</param>
    /// <returns>The settings files in the order they apply.</returns>
    internal static IReadOnlyList<SettingsFile> AddPipelineSettings(this IConfigurationManager configuration, CommandLine commandLine, string binaryDirectory, string environmentName, string workingDirectory, string? configurationDirectory)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(commandLine);
        var files = SettingsFiles(binaryDirectory, environmentName, workingDirectory, configurationDirectory);
        // The host's defaults are replaced; anything a caller added on purpose (an in-memory
        // collection of an embedding host or test) is kept, above the environment.
        var added = configuration.Sources.Where(s => s is not FileConfigurationSource and not EnvironmentVariablesConfigurationSource and not CommandLineConfigurationSource).ToList();

        // A JSON file a caller added on purpose stays, as one more operator file; the host's own
        // appsettings files are already in the search order. Its full path is read before Clear disposes it.
        var callerFiles = configuration.Sources.OfType<JsonConfigurationSource>()
            .Where(s => !string.IsNullOrEmpty(s.Path))
            .Select(s => new SettingsFile(s.FileProvider is PhysicalFileProvider provider ? Path.GetFullPath(Path.Combine(provider.Root, s.Path!)) : Path.GetFullPath(s.Path!, binaryDirectory), SettingsFileRole.Operator))
            .Where(f => !files.Any(known => known.Path == f.Path))
            .ToList();
        files = [.. files, .. callerFiles];
        configuration.Sources.Clear();
        foreach (var file in files)
        {
            // Optional and watched: an operator's file created or fixed later is picked up too, and an
            // edit that does not parse keeps the file's last good settings.
            configuration.Sources.Add(LastGoodJsonConfigurationSource.ForFile(file.Path));
        }

        var operatorIndex = files.Count(f => f.Role == SettingsFileRole.Defaults);
        configuration.Sources.Insert(files.Count, new MemoryConfigurationSource { InitialData = PipelineCommandLine.ScriptDefaults(commandLine) });
        configuration.AddEnvironmentVariables();
        foreach (var source in added)
        {
            configuration.Sources.Add(source);
        }

        configuration.AddCommandLine([.. commandLine.ConfigurationArguments]);
        configuration.AddInMemoryCollection(commandLine.Settings);

        // Known only now that every layer is in: where URLs come from decides the safe defaults,
        // which go between the shipped defaults and the operator's file, so the operator may allow more.
        configuration.Sources.Insert(operatorIndex, new MemoryConfigurationSource { InitialData = EntryPointDefaults(configuration) });
        if (IsDemo(configuration))
        {
            // The demo fetches only its own loopback origin: reachable whatever the address policy says.
            configuration.AddInMemoryCollection([new("Pipeline:Http:LoopbackAddresses", "Allow")]);
        }

        return files;
    }

    /// <summary>Lists the settings files of the search order.</summary>
    /// <param name="binaryDirectory">The folder of the binary.</param>
    /// <param name="environmentName">The host environment.</param>
    /// <param name="workingDirectory">The working directory.</param>
    /// <param name="configurationDirectory">The value of <c>$CONFIGURATION_DIRECTORY</c>, or <see langword="null"/>.</param>
    /// <returns>The files, lowest first, without repeats.</returns>
    public static IReadOnlyList<SettingsFile> SettingsFiles(string binaryDirectory, string environmentName, string workingDirectory, string? configurationDirectory)
    {
        var files = new List<SettingsFile>
        {
            new(Path.GetFullPath(Path.Combine(binaryDirectory, FileName)), SettingsFileRole.Defaults),
            new(Path.GetFullPath(Path.Combine(binaryDirectory, $"appsettings.{environmentName}.json")), SettingsFileRole.Defaults),
        };

        // systemd joins several ConfigurationDirectory= entries with ':'.
        var operatorDirectories = string.IsNullOrEmpty(configurationDirectory)
            ? [workingDirectory]
            : configurationDirectory.Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (var directory in operatorDirectories)
        {
            var path = Path.GetFullPath(Path.Combine(directory, FileName));
            if (!files.Any(f => f.Path == path))
            {
                files.Add(new SettingsFile(path, SettingsFileRole.Operator));
            }
        }

        return files;
    }

    /// <summary>Gets the defaults that fit where the URLs come from.</summary>
    /// <param name="configuration">Every other layer.</param>
    /// <returns>The defaults.</returns>
    /// <remarks>
    /// In service mode and the worker role, URLs arrive from an inbox or a queue that others fill:
    /// loopback and private addresses are refused unless a setting allows them. Batch runs keep the
    /// library's defaults, and the offline demo (no source at all) always reaches its loopback origin.
    /// </remarks>
    internal static Dictionary<string, string?> EntryPointDefaults(IConfiguration configuration)
    {
        var defaults = new Dictionary<string, string?>();
        if (IsFedByOthers(configuration))
        {
            defaults["Pipeline:Http:LoopbackAddresses"] = "Refuse";
            defaults["Pipeline:Http:PrivateAddresses"] = "Refuse";

            // The shipped file's console spans and HTML report are for the demo; a service logs to a journal.
            defaults["Pipeline:Telemetry:Exporters"] = "None";
            defaults["Pipeline:Telemetry:Report"] = string.Empty;
        }

        return defaults;
    }

    /// <summary>Gets a value indicating whether this process runs the offline demo: a batch with no source and no broker.</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns><see langword="true"/> for the demo.</returns>
    internal static bool IsDemo(IConfiguration configuration)
    {
        var batch = !Enum.TryParse<RunMode>(configuration[$"{PipelineOptions.SectionName}:{nameof(WorkerOptions.RunMode)}"], ignoreCase: true, out var runMode)
            || runMode == RunMode.Batch;
        var channels = !Enum.TryParse<PipelineTransport>(configuration[$"{PipelineOptions.SectionName}:{nameof(WorkerOptions.Transport)}"], ignoreCase: true, out var transport)
            || transport == PipelineTransport.Channels;
        var sources = configuration.GetSection($"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Urls)}").GetChildren().Any()
            || configuration.GetSection($"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Files)}").GetChildren().Any();
        return batch && channels && !sources;
    }

    /// <summary>Gets a value indicating whether this process fetches URLs that other people supply (service mode, worker role).</summary>
    /// <param name="configuration">The configuration.</param>
    /// <returns><see langword="true"/> for the service and the RabbitMQ worker.</returns>
    internal static bool IsFedByOthers(IConfiguration configuration)
    {
        var service = Enum.TryParse<RunMode>(configuration[$"{PipelineOptions.SectionName}:{nameof(WorkerOptions.RunMode)}"], ignoreCase: true, out var runMode)
            && runMode == RunMode.Service;
        var worker = Enum.TryParse<PipelineTransport>(configuration[$"{PipelineOptions.SectionName}:{nameof(WorkerOptions.Transport)}"], ignoreCase: true, out var transport)
            && transport == PipelineTransport.RabbitMq
            && Enum.TryParse<RabbitMqRole>(configuration[$"{RabbitMqOptions.SectionName}:{nameof(RabbitMqOptions.Role)}"], ignoreCase: true, out var role)
            && role == RabbitMqRole.Worker;
        return service || worker;
    }
}
