using Microsoft.Extensions.Options;

namespace Pipeline.Processing;

/// <summary>Checks that every step in <c>Pipeline:Process:Steps</c> names a registered processor, once.</summary>
/// <param name="processors">The processors registered in DI: the built-ins and any of the application's.</param>
internal sealed class ProcessStepsValidator(IEnumerable<IResultProcessor> processors) : IValidateOptions<ProcessOptions>
{
    public ValidateOptionsResult Validate(string? name, ProcessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var known = processors.Select(p => p.Name).ToList();
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var step in options.StepNames())
        {
            if (!known.Contains(step, StringComparer.OrdinalIgnoreCase))
            {
                problems.Add($"{ProcessOptions.SectionName}:{nameof(ProcessOptions.Steps)}: unknown step '{step}' (known: {string.Join(", ", known)}).");
            }
            else if (!seen.Add(step))
            {
                problems.Add($"{ProcessOptions.SectionName}:{nameof(ProcessOptions.Steps)}: step '{step}' is listed more than once.");
            }
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
