using System.Text.RegularExpressions;

namespace Pipeline.Worker.Tests.Deployment;

/// <summary>Reads the repository's deployment files as systemd and Docker would, so tests run with exactly what they ship.</summary>
internal static partial class DeploymentFiles
{
    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>Gets the unit's <c>Environment=</c> assignments, in order.</summary>
    public static Dictionary<string, string> UnitEnvironment(string unit)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadAllLines(Path.Combine(RepositoryRoot, "deploy", "systemd", unit)))
        {
            if (line.StartsWith("Environment=", StringComparison.Ordinal))
            {
                var (name, value) = Split(line["Environment=".Length..]);
                environment[name] = value;
            }
        }

        return environment;
    }

    /// <summary>Gets the value of a unit's setting, such as <c>ConfigurationDirectory</c>.</summary>
    public static string? UnitSetting(string unit, string key)
        => File.ReadAllLines(Path.Combine(RepositoryRoot, "deploy", "systemd", unit))
            .Where(l => l.StartsWith(key + "=", StringComparison.Ordinal))
            .Select(l => l[(key.Length + 1)..])
            .LastOrDefault();

    /// <summary>Gets the <c>ENV</c> assignments of the Dockerfile's last stage (the image that runs).</summary>
    public static Dictionary<string, string> ImageEnvironment()
    {
        var text = File.ReadAllText(Path.Combine(RepositoryRoot, "Dockerfile")).Replace("\\\n", " ", StringComparison.Ordinal);
        var lastStage = text[text.LastIndexOf("\nFROM ", StringComparison.Ordinal)..];
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lastStage.Split('\n').Where(l => l.StartsWith("ENV ", StringComparison.Ordinal)))
        {
            foreach (Match assignment in Assignment().Matches(line[4..]))
            {
                environment[assignment.Groups[1].Value] = assignment.Groups[2].Value;
            }
        }

        return environment;
    }

    /// <summary>Maps the absolute paths of a deployment (<c>/var/lib/pipeline</c>, <c>/data</c> …) under a test folder.</summary>
    public static Dictionary<string, string> Rooted(Dictionary<string, string> environment, string root)
        => environment.ToDictionary(p => p.Key, p => p.Value.StartsWith('/') ? Path.Combine(root, p.Value.TrimStart('/')) : p.Value);

    private static (string Name, string Value) Split(string assignment)
    {
        var equals = assignment.IndexOf('=', StringComparison.Ordinal);
        return (assignment[..equals], assignment[(equals + 1)..]);
    }

    private static string FindRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Pipeline.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Pipeline.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(\S*)")]
    private static partial Regex Assignment();
}
