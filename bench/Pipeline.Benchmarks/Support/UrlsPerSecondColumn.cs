using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Pipeline.Benchmarks.Support;

/// <summary>
/// Turns the mean time per operation into operations per second. Every benchmark here counts one
/// URL (or result, or item) as one operation (<c>OperationsPerInvoke</c>), so this reads as URLs/s:
/// the unit the target (at least 1M URLs/s) is stated in.
/// </summary>
internal sealed class UrlsPerSecondColumn : IColumn
{
    public string Id => nameof(UrlsPerSecondColumn);

    public string ColumnName => "URLs/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Operations (URLs, results or items) per second: 1 s / Mean";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is > 0 ? (1e9 / mean.Value).ToString("N0", CultureInfo.InvariantCulture) : "-";
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
