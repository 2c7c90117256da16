using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Pipeline.Worker.Hosting;

/// <summary>Turns options validation failures into one line per problem, each naming its configuration key.</summary>
internal static partial class ConfigurationErrors
{
    /// <summary>Lists the configuration problems an exception carries, or none when it is about something else.</summary>
    /// <param name="exception">The exception from validation or start-up.</param>
    /// <returns>One message per problem.</returns>
    public static List<string> From(Exception exception) => exception switch
    {
        OptionsValidationException validation => [.. validation.Failures.SelectMany(f => Lines(validation.OptionsType, f))],
        AggregateException aggregate => [.. aggregate.InnerExceptions.SelectMany(From)],
        _ => [],
    };

    private static IEnumerable<string> Lines(Type optionsType, string failure)
    {
        foreach (var line in failure.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // DataAnnotations failures read "Concurrency: The field PipelineOptions.Concurrency must be …";
            // a user edits "Pipeline:Concurrency", so say that.
            var match = MemberFailure().Match(line);
            yield return match.Success && ConfigurationCheck.TryGetKey(optionsType, match.Groups["member"].Value, out var key)
                ? $"{key}: {match.Groups["rest"].Value}"
                : line;
        }
    }

    [GeneratedRegex(@"^(?<member>\w+): The field [\w.]+ (?<rest>.*)$")]
    private static partial Regex MemberFailure();
}
