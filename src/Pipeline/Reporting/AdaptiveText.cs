using System.Globalization;
using System.Text;
using Pipeline.Concurrency;

namespace Pipeline.Reporting;

/// <summary>How the summary shows what adaptive concurrency did.</summary>
internal static class AdaptiveText
{
    /// <summary>The most hosts listed by name; the rest are counted.</summary>
    public const int ListedHosts = 5;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The bounds, as in a title: <c>auto 1–256</c>.</summary>
    public static string Bounds(AdaptiveSummary adaptive) => string.Create(Invariant, $"auto {adaptive.Bounds.Min}-{adaptive.Bounds.Max}");

    /// <summary>The limit over the run in a few words: <c>min 1 max 80 final 64 mean 42.3</c>.</summary>
    public static string Figures(AdaptiveSummary adaptive)
        => string.Create(Invariant, $"min {adaptive.Min} max {adaptive.Max} final {adaptive.Final} mean {adaptive.Mean:0.0}");

    /// <summary>Appends the report's lines: the limit over time, and each host's final limit.</summary>
    public static void Append(StringBuilder text, AdaptiveSummary adaptive)
    {
        text.Append(Invariant, $"  limit          {Bounds(adaptive)}: {Figures(adaptive).Replace(" max", "   max", StringComparison.Ordinal).Replace(" final", "   final", StringComparison.Ordinal).Replace(" mean", "   mean", StringComparison.Ordinal)} (time-weighted), {adaptive.Changes} change(s)\n");
        if (adaptive.Hosts.Count == 0)
        {
            return;
        }

        var hosts = adaptive.Hosts.Take(ListedHosts).Select(h => string.Create(
            Invariant,
            $"{h.Host} {h.Limit} (floor {(h.MinRtt is { } rtt ? rtt.TotalMilliseconds.ToString("0.0 'ms'", Invariant) : "n/a")}, {h.Drops} drop(s))"));
        var more = adaptive.Hosts.Count > ListedHosts ? string.Create(Invariant, $", and {adaptive.Hosts.Count - ListedHosts} more") : string.Empty;
        text.Append(Invariant, $"  host limits    {string.Join(", ", hosts)}{more}\n");
    }
}
