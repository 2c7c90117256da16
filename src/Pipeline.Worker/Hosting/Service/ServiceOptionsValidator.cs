using Microsoft.Extensions.Options;

namespace Pipeline.Worker.Hosting.Service;

/// <summary>Source-generated DataAnnotations validation of <see cref="ServiceOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class ServiceOptionsValidator : IValidateOptions<ServiceOptions>;
