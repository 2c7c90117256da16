using Microsoft.Extensions.Options;

namespace Pipeline.Processing;

/// <summary>Source-generated DataAnnotations validation of <see cref="ProcessOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class ProcessOptionsValidator : IValidateOptions<ProcessOptions>;
