using Microsoft.Extensions.Options;

namespace Pipeline.Worker.Hosting;

/// <summary>Source-generated DataAnnotations validation of <see cref="DemoOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class DemoOptionsValidator : IValidateOptions<DemoOptions>;
