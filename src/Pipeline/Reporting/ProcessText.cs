using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Running;

namespace Pipeline.Reporting;

/// <summary>How the summary shows the two stages of a run with processing: time split into fetch and process, and each stage's utilisation.</summary>
/// <remarks>
/// Little's law per stage: the mean number of items a stage works on is its busy time over the wall time;
/// divided by its workers, it is the share of them that was busy. The busier stage sets the pace: fetching
/// waits on the network and scales with consumers, processing uses cores and scales with them only.
/// </remarks>
internal static class ProcessText
{
    private const double BusyEnough = 0.9;
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The stages in a few words: <c>fetch 61% of 10 consumers, process 80% of 2 workers</c>.</summary>
    public static string Figures(RunSummary run)
        => string.Create(Invariant, $"fetch {run.FetchUtilisation:0%} of {run.Consumers} consumer(s) busy, process {run.ProcessUtilisation:0%} of {run.ProcessWorkers} worker(s) busy");

    /// <summary>Appends the report's lines for a run with a processing stage; nothing for one without.</summary>
    public static void Append(StringBuilder text, RunSummary run)
    {
        if (run.ProcessWorkers == 0)
        {
            return;
        }

        text.Append(Invariant, $"  time split     fetch {Seconds(run.FetchTime)} (sum of fetch durations), process {Seconds(run.ProcessTime)} (sum of processing durations) over {Seconds(run.Wall)} of wall time\n");
        text.Append(Invariant, $"  processed      {run.Processed} result(s) by {run.ProcessWorkers} worker(s), mean {run.ProcessMean.TotalMilliseconds:0.0} ms, {run.ProcessErrors} with a processing error\n");
        if (run.Wall <= TimeSpan.Zero)
        {
            return;
        }

        var fetchL = run.FetchTime / run.Wall;
        var processL = run.ProcessTime / run.Wall;
        var pace = run.ProcessUtilisation >= BusyEnough
            ? "processing (CPU) sets the pace: more workers help only up to the cores"
            : run.FetchUtilisation >= BusyEnough
                ? "fetching (I/O) sets the pace: more consumers help while the server keeps up"
                : "neither stage is saturated: the source, the channels or the sink held them back";
        text.Append(Invariant, $"  per stage      fetch L = {fetchL:0.00} of {run.Consumers} consumer(s), {run.FetchUtilisation:0%} busy; process L = {processL:0.00} of {run.ProcessWorkers} worker(s), {run.ProcessUtilisation:0%} busy: {pace}\n");
    }

    /// <summary>Appends the comparison table's rows when either run had a processing stage.</summary>
    public static void AppendRows(StringBuilder text, RunSummary sequential, RunSummary concurrent, Action<StringBuilder, string, string, string> row)
    {
        if (sequential.ProcessWorkers == 0 && concurrent.ProcessWorkers == 0)
        {
            return;
        }

        row(text, "process workers", sequential.ProcessWorkers.ToString(Invariant), concurrent.ProcessWorkers.ToString(Invariant));
        row(text, "fetch time", Seconds(sequential.FetchTime), Seconds(concurrent.FetchTime));
        row(text, "process time", Seconds(sequential.ProcessTime), Seconds(concurrent.ProcessTime));
        row(text, "fetch busy", sequential.FetchUtilisation.ToString("0%", Invariant), concurrent.FetchUtilisation.ToString("0%", Invariant));
        row(text, "process busy", sequential.ProcessUtilisation.ToString("0%", Invariant), concurrent.ProcessUtilisation.ToString("0%", Invariant));
    }

    /// <summary>Writes the JSON summary's processing figures when the run had a processing stage.</summary>
    public static void WriteJson(Utf8JsonWriter json, RunSummary run)
    {
        if (run.ProcessWorkers == 0)
        {
            return;
        }

        json.WriteNumber("process_workers", run.ProcessWorkers);
        json.WriteNumber("processed", run.Processed);
        json.WriteNumber("process_errors", run.ProcessErrors);
        json.WriteNumber("fetch_s", Math.Round(run.FetchTime.TotalSeconds, 4));
        json.WriteNumber("process_s", Math.Round(run.ProcessTime.TotalSeconds, 4));
        json.WriteNumber("fetch_utilisation", Math.Round(run.FetchUtilisation, 4));
        json.WriteNumber("process_utilisation", Math.Round(run.ProcessUtilisation, 4));
    }

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.000 's'", Invariant);
}
