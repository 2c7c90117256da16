using System.Diagnostics.CodeAnalysis;
using Pipeline.Fetching;

namespace Pipeline;

/// <summary>
/// The names modes and outcomes have outside the process: in the results file, on spans and metrics,
/// in the summary and the reports. One home, so a reader of any of them sees the same words.
/// </summary>
/// <remarks>
/// These names are a contract (scripts filter on <c>"outcome":"http_error"</c>, dashboards on
/// <c>pipeline.mode=concurrent</c>): they never change with the enum members' names.
/// </remarks>
public static class WireNames
{
    /// <summary>Gets the name of a mode: <c>sequential</c>, <c>concurrent</c> or <c>compare</c>.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>Its wire name.</returns>
    public static string Mode(PipelineMode mode) => mode switch
    {
        PipelineMode.Sequential => "sequential",
        PipelineMode.Concurrent => "concurrent",
        _ => "compare",
    };

    /// <summary>Gets the name of an outcome: <c>succeeded</c>, <c>http_error</c>, <c>failed</c>, <c>invalid</c>, <c>duplicate</c>, <c>cancelled</c> or <c>pending</c>.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>Its wire name.</returns>
    public static string Outcome(FetchOutcome outcome) => outcome switch
    {
        FetchOutcome.Succeeded => "succeeded",
        FetchOutcome.HttpError => "http_error",
        FetchOutcome.Failed => "failed",
        FetchOutcome.Invalid => "invalid",
        FetchOutcome.Duplicate => "duplicate",
        FetchOutcome.Cancelled => "cancelled",
        _ => "pending",
    };

    /// <summary>Reads a mode's wire name back.</summary>
    /// <param name="name">The name, as <see cref="Mode"/> writes it.</param>
    /// <param name="mode">The mode, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is one of the modes' wire names.</returns>
    public static bool TryParseMode([NotNullWhen(true)] string? name, out PipelineMode mode)
    {
        foreach (var candidate in Enum.GetValues<PipelineMode>())
        {
            if (string.Equals(name, Mode(candidate), StringComparison.Ordinal))
            {
                mode = candidate;
                return true;
            }
        }

        mode = default;
        return false;
    }

    /// <summary>Reads an outcome's wire name back.</summary>
    /// <param name="name">The name, as <see cref="Outcome"/> writes it.</param>
    /// <param name="outcome">The outcome, when the name is known.</param>
    /// <returns><see langword="true"/> when the name is one of the outcomes' wire names.</returns>
    public static bool TryParseOutcome([NotNullWhen(true)] string? name, out FetchOutcome outcome)
    {
        foreach (var candidate in Enum.GetValues<FetchOutcome>())
        {
            if (string.Equals(name, Outcome(candidate), StringComparison.Ordinal))
            {
                outcome = candidate;
                return true;
            }
        }

        outcome = default;
        return false;
    }
}
