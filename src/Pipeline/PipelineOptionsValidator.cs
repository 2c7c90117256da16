using Microsoft.Extensions.Options;

namespace Pipeline;

/// <summary>Source-generated DataAnnotations validation of <see cref="PipelineOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class PipelineOptionsValidator : IValidateOptions<PipelineOptions>;
