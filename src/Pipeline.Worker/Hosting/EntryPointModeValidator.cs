using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Pipeline.Worker.Hosting;

/// <summary>
/// Refuses <see cref="PipelineMode.Compare"/> where URLs come from others (service mode, the worker
/// role): it fetches every URL twice and never saves state. Checked at start-up (exit 2) and on every
/// live edit, which is then rejected and logged like any invalid edit.
/// </summary>
/// <param name="configuration">The configuration, read at each validation for the role.</param>
internal sealed class EntryPointModeValidator(IConfiguration configuration) : IValidateOptions<PipelineOptions>
{
    public ValidateOptionsResult Validate(string? name, PipelineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Mode == PipelineMode.Compare && WorkerConfiguration.IsFedByOthers(configuration)
            ? ValidateOptionsResult.Fail($"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Mode)}: 'Compare' fetches every URL twice and is for batch runs only; use Sequential or Concurrent in service mode and the worker role.")
            : ValidateOptionsResult.Success;
    }
}
