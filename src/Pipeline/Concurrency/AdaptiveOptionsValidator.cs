using Microsoft.Extensions.Options;

namespace Pipeline.Concurrency;

/// <summary>Source-generated DataAnnotations validation of <see cref="AdaptiveOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class AdaptiveOptionsValidator : IValidateOptions<AdaptiveOptions>;
