using Microsoft.Extensions.Options;

namespace Pipeline.Fetching;

/// <summary>Checks at start-up what DataAnnotations cannot: the accept-list and the extra headers of <see cref="HttpFetchOptions"/>.</summary>
internal sealed class HttpRequestOptionsValidator : IValidateOptions<HttpFetchOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpFetchOptions options)
    {
        var problems = RequestProfile.Problems(options);
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
