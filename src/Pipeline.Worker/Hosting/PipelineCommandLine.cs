using System.Globalization;
using System.Text;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// The command line, strict: every switch is listed in <see cref="Switches"/> (the one place that
/// documents them, and the source of <c>--help</c>); anything else that starts with a dash is refused
/// with exit code 2, except configuration keys (<c>--Pipeline:ChannelCapacity=500</c>), which pass to
/// the configuration unchanged.
/// </summary>
/// <remarks>
/// System.CommandLine was considered: the host also takes open-ended configuration keys, which it
/// would see as unmatched tokens to re-check by hand, so the table below stays smaller. Adding a
/// switch is one line in <see cref="Switches"/>. <c>--urls</c> is not used: ASP.NET's host owns it.
/// </remarks>
internal static class PipelineCommandLine
{
    private const string DemoModeKey = "Pipeline:Demo:Mode";

    /// <summary>Gets every switch: name, value placeholder (null for a flag), configuration key, whether it may repeat, and help.</summary>
    public static IReadOnlyList<CommandLineSwitch> Switches { get; } =
    [
        new("--input", "FILE", "Pipeline:Files", "A text file of URLs, one per line (.gz: read decompressed; -: standard input, not resumable). Repeat for several files; each is its own source.", Repeatable: true),
        new("--mode", "MODE", "Pipeline:Mode", "Sequential, Concurrent or Compare (Compare: batch runs only)."),
        new("--concurrency", "N", "Pipeline:Concurrency", "Consumers in Concurrent mode (default 10)."),
        new("--process", "STEPS", "Pipeline:Process:Steps", "Process each fetched body: title,links,sha256,save (comma-separated, in order; default none)."),
        new("--output", "FILE", "Pipeline:Output", "The results: .jsonl, .csv or .db (SQLite) by extension, or - for JSON lines on stdout (default results.jsonl)."),
        new("--method", "METHOD", "Pipeline:Http:Method", "GET (the default) or HEAD: HEAD reads no body."),
        new("--accept", "STATUSES", "Pipeline:Http:AcceptStatuses", "Statuses counted as success, e.g. 200..299,403 (default 100..399)."),
        new("--summary", "FORMAT", "Pipeline:Console:Summary", "line, json or report: what is printed on stdout at the end."),
        new("--role", "ROLE", "Pipeline:RabbitMq:Role", "producer, worker or collector: run one role of the RabbitMQ transport."),
        new("--fresh", null, "Pipeline:Fresh", "Discard the saved state of a stopped batch and start from the beginning."),
        new("--health", null, null, "Exit 0 when the service's heartbeat file is fresh, 1 otherwise (container HEALTHCHECK)."),
        new("--version", null, null, "Print the version and exit."),
        new("--help", null, null, "Print this help and exit. Also -h and -?."),
    ];

    /// <summary>Reads the command line.</summary>
    /// <param name="args">The arguments as given.</param>
    /// <returns>What to do, the settings the switches give, and the configuration keys given directly.</returns>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var keys = new List<string>();
        var given = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var action = CommandLineAction.Run;
        var inputs = 0;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "-h" or "-?" or "/?")
            {
                action = CommandLineAction.Help;
                continue;
            }

            if (!arg.StartsWith('-'))
            {
                return CommandLine.Failed($"unexpected argument '{arg}' (switches start with --; see --help)");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? arg : arg[..equals];
            string? inline = equals < 0 ? null : arg[(equals + 1)..];

            // A configuration key (it has a section path): handed to the configuration as given.
            if (name.Contains(':', StringComparison.Ordinal) && name.StartsWith("--", StringComparison.Ordinal))
            {
                keys.Add(arg);
                if (inline is null)
                {
                    if (i + 1 >= args.Count)
                    {
                        return CommandLine.Failed($"option '{name}' needs a value");
                    }

                    keys.Add(args[++i]);
                }

                continue;
            }

            var known = Switches.FirstOrDefault(s => s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                var suggestion = Closest(name);
                return CommandLine.Failed(suggestion is null
                    ? $"unknown option '{name}' (see --help)"
                    : $"unknown option '{name}' (did you mean '{suggestion}'?)");
            }

            if (!given.Add(known.Name) && !known.Repeatable)
            {
                return CommandLine.Failed($"option '{known.Name}' given more than once (it takes one value)");
            }

            string value;
            if (known.Value is null)
            {
                if (inline is not null && !bool.TryParse(inline, out _))
                {
                    return CommandLine.Failed($"option '{known.Name}' takes no value");
                }

                value = inline ?? "true";
            }
            else if (inline is not null)
            {
                value = inline;
            }
            else if (i + 1 < args.Count && !IsSwitch(args[i + 1]))
            {
                value = args[++i];
            }
            else
            {
                return CommandLine.Failed($"option '{known.Name}' needs a value ({known.Value})");
            }

            switch (known.Name)
            {
                case "--help":
                    action = CommandLineAction.Help;
                    break;
                case "--version":
                    action = action == CommandLineAction.Help ? action : CommandLineAction.Version;
                    break;
                case "--health":
                    action = action == CommandLineAction.Run ? CommandLineAction.Health : action;
                    break;
                case "--input":
                    settings[$"{known.Key}:{inputs++.ToString(CultureInfo.InvariantCulture)}"] = value;
                    break;
                case "--mode":
                    // Typed on the command line, a mode is meant for this run, the offline demo included
                    // (whose own default, Pipeline:Demo:Mode, is Compare).
                    settings[known.Key!] = value;
                    settings[DemoModeKey] = value;
                    break;
                default:
                    settings[known.Key!] = value;
                    break;
            }
        }

        return new CommandLine(action, settings, keys, Error: null);
    }

    /// <summary>Gets the defaults a scripted run (one with <c>--input</c>) starts from, below anything given.</summary>
    /// <param name="commandLine">The parsed command line.</param>
    /// <returns>The defaults; empty for a normal run.</returns>
    public static Dictionary<string, string?> ScriptDefaults(CommandLine commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        var defaults = new Dictionary<string, string?>();
        if (commandLine.Settings.Keys.Any(k => k.StartsWith("Pipeline:Files:", StringComparison.OrdinalIgnoreCase)))
        {
            defaults["Pipeline:Console:Summary"] = nameof(SummaryFormat.Line);
            defaults["Pipeline:Telemetry:Exporters"] = "None";
            defaults["Pipeline:Telemetry:Report"] = string.Empty;
        }

        // A role only means something on the broker: `--role worker` is enough to say so.
        if (commandLine.Settings.ContainsKey("Pipeline:RabbitMq:Role"))
        {
            defaults["Pipeline:Transport"] = nameof(PipelineTransport.RabbitMq);
        }

        return defaults;
    }

    /// <summary>Writes the help text: usage, switches, run modes, roles, exit codes.</summary>
    /// <returns>The text.</returns>
    public static string Help()
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: Pipeline.Worker [switches] [--Section:Key=value ...]");
        text.AppendLine();
        text.AppendLine("Without --input, --role or configured sources it runs the offline demo (Pipeline:Demo:Mode, default Compare; --mode sets it too).");
        text.AppendLine();
        text.AppendLine("Switches:");
        foreach (var option in Switches)
        {
            var left = option.Value is null ? option.Name : $"{option.Name} {option.Value}";
            text.Append("  ").Append(left.PadRight(22)).AppendLine(option.Help);
        }

        text.AppendLine();
        text.AppendLine("Modes (--mode, Pipeline:Mode):");
        text.AppendLine("  Sequential   one consumer");
        text.AppendLine("  Concurrent   N consumers (--concurrency); the default for real input");
        text.AppendLine("  Compare      Sequential then Concurrent over the same URLs; batch runs only, refused in service mode and the worker role");
        text.AppendLine();
        text.AppendLine("Run modes (Pipeline:RunMode):");
        text.AppendLine("  Batch        run the configured sources once and exit (the default)");
        text.AppendLine("  Service      stay up: run each file dropped in Pipeline:Service:Inbox as a batch");
        text.AppendLine();
        text.AppendLine("Roles (--role, with the RabbitMQ transport):");
        text.AppendLine("  producer     publish the configured URLs to the queue");
        text.AppendLine("  worker       fetch URLs from the queue and publish results");
        text.AppendLine("  collector    write the published results to Pipeline:Output");
        text.AppendLine();
        text.AppendLine("Any setting can be given as --Section:Key=value (e.g. --Pipeline:ChannelCapacity=500).");
        text.AppendLine("Settings files, lowest first: appsettings.json beside the binary, then the operator's file");
        text.AppendLine("($CONFIGURATION_DIRECTORY/appsettings.json, or ./appsettings.json of a development run),");
        text.AppendLine("then environment variables (Pipeline__Mode=...), then the command line.");
        text.AppendLine();
        text.AppendLine("Exit codes: 0 ok, 1 worker failed, 2 invalid configuration or usage, 3 finished with failed URLs,");
        text.AppendLine("130 interrupted with the state saved.");
        return text.ToString();
    }

    /// <summary>Gets the version this binary reports.</summary>
    /// <returns>The informational version, e.g. <c>1.0.0+abc123</c>.</returns>
    public static string Version()
    {
        var assembly = typeof(PipelineCommandLine).Assembly;
        var informational = (Attribute.GetCustomAttribute(assembly, typeof(System.Reflection.AssemblyInformationalVersionAttribute)) as System.Reflection.AssemblyInformationalVersionAttribute)?.InformationalVersion;
        return "Pipeline.Worker " + (informational ?? assembly.GetName().Version?.ToString() ?? "unknown");
    }

    private static bool IsSwitch(string arg)
        => arg.StartsWith("--", StringComparison.Ordinal) || arg is "-h" or "-?";

    // The nearest switch by edit distance, when it is near enough to be what was meant.
    private static string? Closest(string name)
    {
        var best = Switches
            .Select(s => (s.Name, Distance: Distance(name.ToLowerInvariant(), s.Name)))
            .MinBy(s => s.Distance);
        return best.Distance <= Math.Max(2, best.Name.Length / 3) ? best.Name : null;
    }

    // Optimal string alignment distance: a swapped pair of letters ("inptu") counts as one edit.
    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
