using Microsoft.Extensions.Options;

namespace Pipeline;

/// <summary>Reports the problems <see cref="ConfigurationCheck"/> found while binding, beside the other validators' failures.</summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class ConfigurationProblemsValidator<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    /// <summary>Gets or sets the problems of the latest binding (configure and validate run back to back per instance).</summary>
    public List<(string Path, string Message)> Problems { get; set; } = [];

    /// <summary>Gets the keys that could not be bound.</summary>
    public IEnumerable<string> BrokenPaths => Problems.Select(p => p.Path);

    public ValidateOptionsResult Validate(string? name, TOptions options)
        => Problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(Problems.Select(p => p.Message));
}
