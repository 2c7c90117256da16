using Microsoft.Extensions.Options;

namespace Pipeline.Telemetry;

/// <summary>Source-generated DataAnnotations validation of <see cref="TelemetryOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>;
