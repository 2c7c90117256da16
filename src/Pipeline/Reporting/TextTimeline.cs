using System.Text;
using Pipeline.Telemetry;

namespace Pipeline.Reporting;

/// <summary>
/// Draws the fetch spans of one or more runs as a few rows of characters on one shared time axis,
/// for a terminal or an SSH session where the HTML report is out of reach.
/// </summary>
/// <remarks>
/// Spans are packed into lanes (a span goes to the first lane free at its start), so the number of
/// rows is the overlap: one row for a sequential run, one per busy consumer for a concurrent one.
/// </remarks>
internal static class TextTimeline
{
    public const int Width = 60;
    public const int MaxRows = 8;

    // Span stamps come from the wall clock, which may be stepped while a run goes on; a gap a hair
    // below zero between back-to-back spans is not an overlap.
    private static readonly TimeSpan Tolerance = TimeSpan.FromMilliseconds(0.5);

    public static void Append(StringBuilder text, IReadOnlyList<RunTrace> traces)
    {
        var scale = traces.Select(t => t.Extent).DefaultIfEmpty(TimeSpan.Zero).Max();
        if (scale <= TimeSpan.Zero || traces.All(t => t.Spans.Count == 0))
        {
            return;
        }

        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\n  timeline       0 to {scale.TotalSeconds:0.000} s on one scale; # = a fetch span open, one row per lane of spans that never overlap\n");
        foreach (var trace in traces)
        {
            var lanes = Lanes(trace.Spans);
            var label = WireNames.Mode(trace.Mode);
            for (var row = 0; row < Math.Min(lanes.Count, MaxRows); row++)
            {
                text.Append("  ").Append((row == 0 ? label : string.Empty).PadRight(15)).Append('|').Append(Row(lanes[row], scale)).Append("|\n");
            }

            if (lanes.Count > MaxRows)
            {
                text.Append(System.Globalization.CultureInfo.InvariantCulture, $"  {string.Empty,-15}... {lanes.Count - MaxRows} more lane(s), {lanes.Count} in all\n");
            }
        }
    }

    /// <summary>Packs spans into lanes in which no two spans overlap.</summary>
    public static List<List<FetchSpan>> Lanes(IEnumerable<FetchSpan> spans)
    {
        var lanes = new List<List<FetchSpan>>();
        foreach (var span in spans.OrderBy(s => s.Start))
        {
            var lane = lanes.Find(l => l[^1].End - Tolerance <= span.Start);
            if (lane is null)
            {
                lane = [];
                lanes.Add(lane);
            }

            lane.Add(span);
        }

        return lanes;
    }

    private static string Row(List<FetchSpan> lane, TimeSpan scale)
    {
        var cells = new char[Width];
        Array.Fill(cells, ' ');
        foreach (var span in lane)
        {
            var first = Math.Clamp((int)(span.Start / scale * Width), 0, Width - 1);
            var last = Math.Clamp((int)Math.Ceiling(span.End / scale * Width) - 1, first, Width - 1);
            for (var i = first; i <= last; i++)
            {
                cells[i] = '#';
            }
        }

        return new string(cells);
    }
}
