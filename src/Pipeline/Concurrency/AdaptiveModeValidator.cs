using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Pipeline.Concurrency;

/// <summary>Checks what DataAnnotations cannot: <c>Min</c> ≤ <c>Max</c>, and no adaptive concurrency in <see cref="PipelineMode.Compare"/> mode.</summary>
/// <param name="configuration">The configuration, for the raw <c>Pipeline:Mode</c>: resolving the pipeline options here would throw
/// before their own validation could report them.</param>
internal sealed class AdaptiveModeValidator(IConfiguration configuration) : IValidateOptions<AdaptiveOptions>
{
    public ValidateOptionsResult Validate(string? name, AdaptiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        if (options.Min > options.Max)
        {
            problems.Add($"{AdaptiveOptions.SectionName}:{nameof(AdaptiveOptions.Max)}: {options.Max} is below {AdaptiveOptions.SectionName}:{nameof(AdaptiveOptions.Min)} ({options.Min}).");
        }

        var mode = configuration[$"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Mode)}"];
        if (options.Enabled && Enum.TryParse<PipelineMode>(mode, ignoreCase: true, out var parsed) && parsed == PipelineMode.Compare)
        {
            problems.Add($"{AdaptiveOptions.SectionName}:{nameof(AdaptiveOptions.Enabled)} ({PipelineOptions.SectionName}:{nameof(PipelineOptions.Concurrency)} '{AdaptiveOptions.Auto}') cannot be used with {PipelineOptions.SectionName}:{nameof(PipelineOptions.Mode)} Compare: "
                + "the ideal speedup of a run whose concurrency changes is undefined. Use Concurrent, or a number.");
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
