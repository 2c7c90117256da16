using System.Globalization;
using System.Text.Json;
using Pipeline.Fetching;
using Pipeline.Running;

namespace Pipeline.Reporting;

/// <summary>
/// The outcome counts of a run in the one vocabulary every output shares: the results file's
/// <c>outcome</c> names, all of them always, in one order, so that they visibly sum to the lines read.
/// </summary>
internal static class OutcomeText
{
    /// <summary>Gets every outcome with its name, in the order of <see cref="FetchOutcome"/>.</summary>
    public static IReadOnlyList<(FetchOutcome Outcome, string Name)> All { get; } =
        [.. Enum.GetValues<FetchOutcome>().Select(outcome => (outcome, WireNames.Outcome(outcome)))];

    /// <summary>Renders <c>5 succeeded, 2 http_error, 1 failed, 3 invalid, 1 duplicate, 0 cancelled, 0 pending</c>.</summary>
    public static string List(RunSummary run)
        => string.Join(", ", All.Select(o => string.Create(CultureInfo.InvariantCulture, $"{run.Count(o.Outcome)} {o.Name}")));

    /// <summary>Writes the <c>outcomes</c> object: one number per outcome name.</summary>
    public static void WriteJson(Utf8JsonWriter json, RunSummary run)
    {
        json.WriteStartObject("outcomes");
        foreach (var (outcome, name) in All)
        {
            json.WriteNumber(name, run.Count(outcome));
        }

        json.WriteEndObject();
    }
}
