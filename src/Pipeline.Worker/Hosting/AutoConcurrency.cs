using System.Globalization;
using Microsoft.Extensions.Configuration;
using Pipeline.Concurrency;

namespace Pipeline.Worker.Hosting;

/// <summary>Reads <c>Pipeline:Concurrency: auto</c> (<c>--concurrency auto</c>) as <c>Pipeline:Adaptive:Enabled: true</c>.</summary>
/// <remarks>
/// The concurrency stays a number in <see cref="PipelineOptions"/>, so every existing use of it keeps
/// its type; the word is translated once, at start-up, by a layer above every other source. A
/// service reads it at start-up only: switching a running service to or from <c>auto</c> takes a restart.
/// </remarks>
internal static class AutoConcurrency
{
    private const string ConcurrencyKey = $"{PipelineOptions.SectionName}:{nameof(PipelineOptions.Concurrency)}";
    private const string MaxKey = $"{AdaptiveOptions.SectionName}:{nameof(AdaptiveOptions.Max)}";

    /// <summary>The keys that replace <c>auto</c>, or <see langword="null"/> when the concurrency is not <c>auto</c>.</summary>
    /// <param name="configuration">The configuration so far.</param>
    /// <returns>The overrides: adaptive concurrency on, and the concurrency a number again (the most consumers, which a
    /// broker worker also takes as its prefetch).</returns>
    public static Dictionary<string, string?>? Overrides(IConfiguration configuration)
    {
        if (!string.Equals(configuration[ConcurrencyKey]?.Trim(), AdaptiveOptions.Auto, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var max = int.TryParse(configuration[MaxKey], NumberStyles.Integer, CultureInfo.InvariantCulture, out var given) && given is >= 1 and <= 10_000
            ? given
            : new AdaptiveOptions().Max;
        return new Dictionary<string, string?>
        {
            [ConcurrencyKey] = max.ToString(CultureInfo.InvariantCulture),
            [$"{AdaptiveOptions.SectionName}:{nameof(AdaptiveOptions.Enabled)}"] = "true",
        };
    }
}
