using Microsoft.Extensions.Options;

namespace Pipeline;

/// <summary>Checks at start-up that every configured input is a file that exists, naming the key and the full path.</summary>
internal sealed class PipelineSourcesValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Files.Count; i++)
        {
            var path = options.Files[i];
            if (string.IsNullOrWhiteSpace(path))
            {
                failures.Add($"{PipelineOptions.SectionName}:Files:{i}: empty path.");
            }
            else if (Directory.Exists(path))
            {
                failures.Add($"{PipelineOptions.SectionName}:Files:{i}: '{path}' is a directory, not a file of URLs ({Path.GetFullPath(path)}).");
            }
            else if (!File.Exists(path))
            {
                failures.Add($"{PipelineOptions.SectionName}:Files:{i}: file '{path}' not found (looked for {Path.GetFullPath(path)}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
