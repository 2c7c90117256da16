using Microsoft.Extensions.Options;

namespace Pipeline.Telemetry;

/// <summary>Checks at start-up that the OTLP endpoint, when set, is an absolute http or https address.</summary>
internal sealed class TelemetryEndpointValidator : IValidateOptions<TelemetryOptions>
{
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.OtlpEndpoint is not { } endpoint)
        {
            return ValidateOptionsResult.Success;
        }

        // The binder accepts any text as a relative URI; the exporter would fail later, in the background.
        return endpoint.IsAbsoluteUri && (endpoint.Scheme == Uri.UriSchemeHttp || endpoint.Scheme == Uri.UriSchemeHttps)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{TelemetryOptions.SectionName}:OtlpEndpoint: '{endpoint.OriginalString}' is not an absolute http or https address such as http://localhost:4317.");
    }
}
