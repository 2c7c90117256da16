using Pipeline.Reporting;
using Pipeline.Running;

namespace Pipeline.Worker.Hosting;

/// <summary>The end-of-run text in the format the user chose (<c>--summary</c>).</summary>
internal static class SummaryText
{
    public static string For(BatchReport report, SummaryFormat format) => format switch
    {
        SummaryFormat.Line => SummaryFormatter.FormatLine(report),
        SummaryFormat.Json => SummaryFormatter.FormatJson(report),
        _ => SummaryFormatter.Format(report),
    };
}
