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
        ["--role"] = "Pipeline:RabbitMq:Role",
    };

    /// <summary>Gets the defaults a scripted run (one with <c>--input</c>) starts from, below anything given.</summary>
    /// <param name="args">The command line.</param>
    /// <returns>The defaults; empty for a normal run.</returns>
    public static Dictionary<string, string?> ScriptDefaults(IReadOnlyList<string> args)
    {
        var defaults = new Dictionary<string, string?>();
        if (Given(args, "--input"))
        {
            defaults["Pipeline:Console:Summary"] = nameof(SummaryFormat.Line);
            defaults["Pipeline:Telemetry:Exporters"] = "None";
            defaults["Pipeline:Telemetry:Report"] = string.Empty;
        }

        // A role only means something on the broker: `--role worker` is enough to say so.
        if (Given(args, "--role"))
        {
            defaults["Pipeline:Transport"] = nameof(PipelineTransport.RabbitMq);
        }

        return defaults;
    }

    private static bool Given(IReadOnlyList<string> args, string name)
        => args.Any(a => a.Equals(name, StringComparison.OrdinalIgnoreCase) || a.StartsWith(name + "=", StringComparison.OrdinalIgnoreCase));
}
