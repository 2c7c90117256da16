namespace Pipeline.Worker.Hosting;

/// <summary>A parsed command line.</summary>
/// <param name="Action">What to do.</param>
/// <param name="Settings">The configuration the switches give (<c>--input a --input b</c> → <c>Pipeline:Files:0</c>, <c>:1</c>).</param>
/// <param name="ConfigurationArguments">The <c>--Section:Key=value</c> arguments, for the configuration's command-line provider.</param>
/// <param name="Error">Why the command line was refused (exit 2), or <see langword="null"/>.</param>
internal sealed record CommandLine(CommandLineAction Action, IReadOnlyDictionary<string, string?> Settings, IReadOnlyList<string> ConfigurationArguments, string? Error)
{
    /// <summary>Creates a refused command line.</summary>
    /// <param name="error">The one line to print.</param>
    /// <returns>The result.</returns>
    public static CommandLine Failed(string error)
        => new(CommandLineAction.Run, new Dictionary<string, string?>(), [], error);
}
