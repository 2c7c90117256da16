using Microsoft.Extensions.Options;

namespace Pipeline;

/// <summary>Checks at start-up that every configured input is a file that exists (a <c>.gz</c> one compressed) or standard input used once and not in Compare mode, naming the key and the full path.</summary>
internal sealed class PipelineSourcesValidator : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var standardInputs = 0;
        for (var i = 0; i < options.Files.Count; i++)
        {
            var path = options.Files[i];
            if (string.IsNullOrWhiteSpace(path))
            {
                failures.Add($"{PipelineOptions.SectionName}:Files:{i}: empty path.");
            }
            else if (path == Sources.StandardInputUrlSource.Path)
            {
                if (++standardInputs == 2)
                {
                    failures.Add($"{PipelineOptions.SectionName}:Files:{i}: standard input ('-') is given more than once; it can be read once.");
                }

                if (options.Mode == PipelineMode.Compare && standardInputs == 1)
                {
                    failures.Add($"{PipelineOptions.SectionName}:Files:{i}: standard input ('-') cannot be used in Compare mode, which reads its input twice (once per run) and standard input can be read only once; save it to a file first, or use Sequential or Concurrent.");
                }
            }
            else if (Directory.Exists(path))
            {
                failures.Add($"{PipelineOptions.SectionName}:Files:{i}: '{path}' is a directory, not a file of URLs ({Path.GetFullPath(path)}).");
            }
            else if (!File.Exists(path))
            {
                failures.Add($"{PipelineOptions.SectionName}:Files:{i}: file '{path}' not found (looked for {Path.GetFullPath(path)}).");
            }
            else if (Sources.UrlLineStream.IsCompressed(path) && !IsGzip(path))
            {
                failures.Add($"{PipelineOptions.SectionName}:Files:{i}: '{path}' ends in .gz but is not gzip-compressed ({Path.GetFullPath(path)}).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    // The gzip magic number; an empty .gz file is no gzip stream either.
    private static bool IsGzip(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Span<byte> magic = stackalloc byte[2];
            return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return true; // Unreadable: the read reports it with the reason.
        }
    }
}
