using Microsoft.Extensions.Options;

namespace Pipeline.Fetching;

/// <summary>Source-generated DataAnnotations validation of <see cref="HttpRetryOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class HttpRetryOptionsValidator : IValidateOptions<HttpRetryOptions>;
