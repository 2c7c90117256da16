using Microsoft.Extensions.Options;

namespace Pipeline.Fetching;

/// <summary>Source-generated DataAnnotations validation of <see cref="HttpFetchOptions"/>.</summary>
[OptionsValidator]
internal sealed partial class HttpFetchOptionsValidator : IValidateOptions<HttpFetchOptions>;
