using Microsoft.Extensions.Options;

namespace Pipeline.Fetching;

/// <summary>Source-generated DataAnnotations validation of <see cref="HttpCircuitBreakerOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class HttpCircuitBreakerOptionsValidator : IValidateOptions<HttpCircuitBreakerOptions>;
