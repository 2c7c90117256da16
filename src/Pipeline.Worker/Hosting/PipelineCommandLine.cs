namespace Pipeline.Worker.Hosting;

/// <summary>
/// The short command line made for scripts and benchmarks:
/// <c>--input FILE --mode Sequential|Concurrent --concurrency N --output results.jsonl [--summary line|json|report]</c>.
/// </summary>
/// <remarks>
/// Each switch is another name for a configuration key, so everything else still works
/// (<c>--Pipeline:ChannelCapacity=500</c>). <c>--urls</c> is not used: ASP.NET's host owns it.
/// </remarks>
internal static class PipelineCommandLine
{
    /// <summary>Gets the switches and the keys they set.</summary>
    public static IReadOnlyDictionary<string, string> SwitchMappings { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["--input"] = "Pipeline:Files:0",
        ["--mode"] = "Pipeline:Mode",
        ["--concurrency"] = "Pipeline:Concurrency",
        ["--output"] = "Pipeline:Output",
        ["--summary"] = "Pipeline:Console:Summary",
    };

    /// <summary>Gets the defaults a scripted run (one with <c>--input</c>) starts from, below anything given.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The defaults; empty for a normal run.</returns>
    public static Dictionary<string, string?> ScriptDefaults(IReadOnlyList<string> args)
    {
        var scripted = args.Any(a => a.Equals("--input", StringComparison.OrdinalIgnoreCase) || a.StartsWith("--input=", StringComparison.OrdinalIgnoreCase));
        return scripted
            ? new Dictionary<string, string?>
            {
                ["Pipeline:Console:Summary"] = nameof(SummaryFormat.Line),
                ["Pipeline:Telemetry:Exporters"] = "None",
                ["Pipeline:Telemetry:Report"] = string.Empty,
            }
            : [];
    }
}
