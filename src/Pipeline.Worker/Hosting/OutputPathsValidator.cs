using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Pipeline.Sinks;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// Checks before any work that the results file and the state folder can be written: a directory
/// where a file belongs, a missing parent folder or a read-only location stops the start with exit 2
/// and one line naming the key, the path and the problem, instead of failing after the whole batch.
/// The output's extension chooses its format (<see cref="ResultFiles.FormatOf"/>): one no format has is refused.
/// </summary>
/// <param name="configuration">The configuration, for the transport and run mode (the broker's roles write JSON lines only).</param>
internal sealed class OutputPathsValidator(IConfiguration configuration) : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();

        // What stops the file first (a directory, a missing folder), then its format: a directory
        // named "out" is better reported as a directory than as a name without an extension.
        if (options.Output != ResultFiles.StandardOutputPath && OutputProblem(options.Output) is { } output)
        {
            failures.Add($"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Output)}: '{options.Output}' {output}.");
        }
        else if (FormatProblem(options.Output) is { } format)
        {
            failures.Add($"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Output)}: '{options.Output}' {format}.");
        }

        // A producer's batch must survive it: the same command resumes under the same batch id and
        // the collector counts to the announced size. Standard input cannot be read a second time.
        if (string.Equals(configuration[$"{PipelineOptions.SectionName}:RabbitMq:Role"], "producer", StringComparison.OrdinalIgnoreCase)
            && options.Files.IndexOf(Sources.StandardInputUrlSource.Path) is var stdin and >= 0)
        {
            failures.Add($"{PipelineOptions.SectionName}:Files:{stdin}: standard input ('-') cannot feed the producer role, whose batch must resume after a crash or a lost broker by reading its input again; save it to a file first.");
        }

        if (StateProblem(options.StateDirectory) is { } state)
        {
            failures.Add($"{PipelineOptions.SectionName}:{nameof(PipelineOptions.StateDirectory)}: '{options.StateDirectory}' {state}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>Tells what is wrong with the output's format for this entry point.</summary>
    /// <param name="path">The output path.</param>
    /// <returns>The problem, worded to follow the path, or <see langword="null"/>.</returns>
    private string? FormatProblem(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var format = ResultFiles.FormatOf(path);
        if (format is null)
        {
            return $"has an extension no results format has ({Path.GetFullPath(path)}): use {ResultFiles.KnownExtensions}";
        }

        var broker = Enum.TryParse<PipelineTransport>(configuration[$"{PipelineOptions.SectionName}:{nameof(WorkerOptions.Transport)}"], ignoreCase: true, out var transport) && transport == PipelineTransport.RabbitMq;
        if (broker && format != ResultFormat.JsonLines)
        {
            return "is not a .jsonl file: the RabbitMQ collector and worker write JSON lines only";
        }

        return format == ResultFormat.StandardOutput && WorkerConfiguration.IsFedByOthers(configuration)
            ? "(standard output) is for batch runs only: a service writes one results file per batch"
            : null;
    }

    /// <summary>Tells what stops a file from being written at this path.</summary>
    /// <param name="path">The file.</param>
    /// <returns>The problem, worded to follow the path, or <see langword="null"/>.</returns>
    internal static string? OutputProblem(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null; // Required: the DataAnnotations validator reports it.
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            return $"is a directory, not a file ({full})";
        }

        var parent = Path.GetDirectoryName(full)!;
        if (!Directory.Exists(parent))
        {
            return File.Exists(parent) ? $"cannot be created: '{parent}' is a file, not a folder" : $"cannot be created: the folder '{parent}' does not exist";
        }

        try
        {
            // Opened for writing without truncating an existing file; a new one is removed again.
            using var probe = File.Exists(full)
                ? new FileStream(full, FileMode.Open, FileAccess.Write, FileShare.ReadWrite)
                : new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return $"cannot be written ({full}): {ex.Message}";
        }
    }

    /// <summary>Tells what stops the state folder from being created and written.</summary>
    /// <param name="path">The folder.</param>
    /// <returns>The problem, or <see langword="null"/>.</returns>
    internal static string? StateProblem(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        if (File.Exists(full))
        {
            return $"is a file, not a folder ({full})";
        }

        // The state folder is created when first needed: the nearest folder that exists must take it.
        var existing = full;
        while (!Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
            {
                return $"cannot be created ({full})";
            }

            if (File.Exists(parent))
            {
                return $"cannot be created: '{parent}' is a file, not a folder";
            }

            existing = parent;
        }

        try
        {
            using var probe = new FileStream(Path.Combine(existing, $".pipeline-write-check-{Environment.ProcessId}"), FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose);
            return null;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return $"cannot be written ({existing}): {ex.Message}";
        }
    }
}
