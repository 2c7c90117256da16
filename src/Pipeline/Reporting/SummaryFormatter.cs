using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipeline.Running;
using Pipeline.Telemetry;

namespace Pipeline.Reporting;

/// <summary>Renders run summaries and comparisons as plain text for a terminal or a log.</summary>
public static class SummaryFormatter
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    // Below this share of busy consumers, something other than the fetches held the run back.
    private const double BusyEnough = 0.9;

    /// <summary>Renders a whole batch: each run, then the comparison when there is one, the span timeline and the report file.</summary>
    /// <param name="report">The batch report.</param>
    /// <returns>The text, ending with a newline.</returns>
    public static string Format(BatchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        if (report.Comparison is { } comparison)
        {
            AppendComparison(text, comparison, report.Traces);
        }
        else
        {
            foreach (var run in report.Runs)
            {
                AppendRun(text, run, TraceOf(report.Traces, run));
            }
        }

        TextTimeline.Append(text, report.Traces);
        text.Append('\n');
        text.Append(Invariant, $"  results        {report.Output}{(report.Resumed ? " (appended: this batch resumed a stopped one)" : string.Empty)}\n");
        if (report.TraceReport is { } traceReport)
        {
            text.Append(Invariant, $"  trace report   {traceReport}  (open in a browser: one bar per fetch span, runs on one time scale)\n");
        }

        if (report.StateDirectory is { } state)
        {
            text.Append(Invariant, $"  interrupted    {report.SavedPending} URL(s) saved as pending and every source checkpointed in {state}/: the next start resumes there\n");
        }
        else if (report.Interrupted && report.NotResumable is { } reason)
        {
            text.Append(Invariant, $"  interrupted    not resumable ({reason}): nothing was saved, and the same command starts over\n");
        }
        else if (report.Interrupted && report.ReturnedToSource)
        {
            text.Append("  stopped        the URLs this worker held and had not finished went back to the queue for the others\n");
        }
        else if (report.Interrupted)
        {
            text.Append("  interrupted    the run was stopped; cancelled and pending URLs are in the results file\n");
        }

        return text.ToString();
    }

    /// <summary>Renders a batch as one line a person can read in a log or a script can grep.</summary>
    /// <param name="report">The batch report.</param>
    /// <returns>The line, ending with a newline.</returns>
    public static string FormatLine(BatchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = report.Runs[^1];
        var text = new StringBuilder();
        if (report.Comparison is { } comparison)
        {
            text.Append(Invariant, $"compare: sequential {Seconds(comparison.Sequential.Wall)}, concurrent x{run.Consumers} {Seconds(run.Wall)}, speedup {comparison.Speedup:0.00}x (ideal {comparison.IdealSpeedup:0.00}x); ");
        }

        text.Append(Invariant, $"{Title(run).ToLowerInvariant()}, {run.Total} line(s): {OutcomeText.List(run)}");
        text.Append(Invariant, $"; {Fetches(run)} in {Seconds(run.Wall)} ({run.FetchRate:0.0} fetches/s)");
        text.Append(Invariant, $"; latency p50 {Millis(run.LatencyP50)} p95 {Millis(run.LatencyP95)} max {Millis(run.LatencyMax)}; peak in flight {run.PeakInFlight}");
        if (run.Adaptive is { } adaptive)
        {
            text.Append(Invariant, $"; limit {AdaptiveText.Figures(adaptive)}");
        }

        if (run.ProcessWorkers > 0)
        {
            text.Append(Invariant, $"; {ProcessText.Figures(run)}");
        }

        text.Append(Invariant, $"; results {report.Output}");
        if (report.Interrupted)
        {
            text.Append(Invariant, $"; interrupted, {report.SavedPending} pending saved");
        }

        return text.Append('\n').ToString();
    }

    /// <summary>Renders a batch as one JSON object on one line: the benchmark harness's peer contract plus the outcomes and latency figures.</summary>
    /// <remarks>
    /// <c>n</c>, <c>ok</c>, <c>failed</c> and <c>rps</c> are the harness's keys and keep its meaning: <c>failed</c> is
    /// everything that is not <c>ok</c> (<c>n - ok</c>) and <c>rps</c> counts every line. The <c>outcomes</c> object
    /// splits <c>n</c> by outcome, under the names of the results file.
    /// </remarks>
    /// <param name="report">The batch report.</param>
    /// <returns>The line, ending with a newline.</returns>
    public static string FormatJson(BatchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var run = report.Runs[^1];
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("tool", "pipeline");
            json.WriteString("mode", WireNames.Mode(run.Mode));
            json.WriteNumber("n", run.Total);
            json.WriteNumber("c", run.Consumers);
            json.WriteNumber("ok", run.Succeeded);
            json.WriteNumber("failed", run.Total - run.Succeeded);
            json.WriteNumber("duplicates", run.Duplicates);
            json.WriteNumber("wall_s", Math.Round(run.Wall.TotalSeconds, 4));
            json.WriteNumber("rps", Math.Round(run.Throughput, 1));
            OutcomeText.WriteJson(json, run);
            json.WriteNumber("p50_ms", Math.Round(run.LatencyP50.TotalMilliseconds, 3));
            json.WriteNumber("p95_ms", Math.Round(run.LatencyP95.TotalMilliseconds, 3));
            json.WriteNumber("max_ms", Math.Round(run.LatencyMax.TotalMilliseconds, 3));
            json.WriteNumber("peak_in_flight", run.PeakInFlight);
            json.WriteBoolean("interrupted", report.Interrupted);
            ProcessText.WriteJson(json, run);
            if (run.Adaptive is { } adaptive)
            {
                json.WriteNumber("limit_min", adaptive.Min);
                json.WriteNumber("limit_max", adaptive.Max);
                json.WriteNumber("limit_final", adaptive.Final);
                json.WriteNumber("limit_mean", Math.Round(adaptive.Mean, 2));
            }

            if (report.Comparison is { } comparison)
            {
                json.WriteNumber("sequential_wall_s", Math.Round(comparison.Sequential.Wall.TotalSeconds, 4));
                json.WriteNumber("speedup", Math.Round(comparison.Speedup, 3));
                json.WriteNumber("ideal_speedup", Math.Round(comparison.IdealSpeedup, 3));
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>Renders one run.</summary>
    /// <param name="text">Where to append.</param>
    /// <param name="run">The run.</param>
    /// <param name="trace">The run's spans, when it was traced.</param>
    public static void AppendRun(StringBuilder text, RunSummary run, RunTrace? trace = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(run);
        text.Append(Invariant, $"\n{Title(run)}\n");
        text.Append(Invariant, $"  lines          {run.Total}  ({OutcomeText.List(run)})\n");
        text.Append(Invariant, $"  status codes   {Statuses(run)}\n");
        text.Append(Invariant, $"  wall time      {Seconds(run.Wall)}    throughput {run.FetchRate:0.0} fetches/s ({Fetches(run)}: succeeded, http_error or failed)\n");
        text.Append(Invariant, $"  latency        p50 {Millis(run.LatencyP50)}   p95 {Millis(run.LatencyP95)}   max {Millis(run.LatencyMax)}\n");
        text.Append(Invariant, $"  in flight      peak {run.PeakInFlight}   mean {run.EffectiveParallelism:0.00} (sum of fetch time / wall time)\n");
        text.Append(Invariant, $"  back-pressure  producers waited {run.ProducerWaits} time(s) for room in the channel\n");
        if (run.Adaptive is { } adaptive)
        {
            AdaptiveText.Append(text, adaptive);
        }

        if (trace is not null)
        {
            text.Append(Invariant, $"  spans open     peak {trace.PeakOverlap}   mean {trace.MeanOverlap:0.00} (from {trace.SpanCount} fetch spans)   trace {trace.TraceId}\n");
        }

        AppendLittle(text, run, trace);
        ProcessText.Append(text, run);
        AppendAccounting(text, run);
    }

    /// <summary>Renders the side-by-side comparison.</summary>
    /// <param name="text">Where to append.</param>
    /// <param name="comparison">The comparison.</param>
    /// <param name="traces">The runs' spans, when they were traced.</param>
    public static void AppendComparison(StringBuilder text, ComparisonReport comparison, IReadOnlyList<RunTrace>? traces = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(comparison);
        var s = comparison.Sequential;
        var c = comparison.Concurrent;
        text.Append(Invariant, $"\nSequential vs concurrent, same {c.Total} line(s)\n");
        Row(text, string.Empty, "Sequential", "Concurrent");
        Row(text, "consumers", s.Consumers.ToString(Invariant), c.Consumers.ToString(Invariant));
        Row(text, "wall time", Seconds(s.Wall), Seconds(c.Wall));
        Row(text, "fetches/s", s.FetchRate.ToString("0.0", Invariant), c.FetchRate.ToString("0.0", Invariant));
        Row(text, "latency p50", Millis(s.LatencyP50), Millis(c.LatencyP50));
        Row(text, "latency p95", Millis(s.LatencyP95), Millis(c.LatencyP95));
        Row(text, "latency max", Millis(s.LatencyMax), Millis(c.LatencyMax));
        Row(text, "peak in flight", s.PeakInFlight.ToString(Invariant), c.PeakInFlight.ToString(Invariant));
        Row(text, "mean in flight", s.EffectiveParallelism.ToString("0.00", Invariant), c.EffectiveParallelism.ToString("0.00", Invariant));
        var sequentialTrace = TraceOf(traces, s);
        var concurrentTrace = TraceOf(traces, c);
        if (sequentialTrace is not null || concurrentTrace is not null)
        {
            Row(text, "spans open peak", sequentialTrace?.PeakOverlap.ToString(Invariant) ?? "-", concurrentTrace?.PeakOverlap.ToString(Invariant) ?? "-");
            Row(text, "spans open mean", sequentialTrace?.MeanOverlap.ToString("0.00", Invariant) ?? "-", concurrentTrace?.MeanOverlap.ToString("0.00", Invariant) ?? "-");
        }

        ProcessText.AppendRows(text, s, c, Row);
        Row(text, "lines", s.Total.ToString(Invariant), c.Total.ToString(Invariant));
        foreach (var (outcome, name) in OutcomeText.All)
        {
            Row(text, name, s.Count(outcome).ToString(Invariant), c.Count(outcome).ToString(Invariant));
        }

        Row(text, "retries", s.Retries.ToString(Invariant), c.Retries.ToString(Invariant));
        Row(text, "producer waits", s.ProducerWaits.ToString(Invariant), c.ProducerWaits.ToString(Invariant));
        Row(text, "status codes", Statuses(s), Statuses(c));
        text.Append('\n');
        text.Append(Invariant, $"  speedup        {comparison.Speedup:0.00}x   ideal {comparison.IdealSpeedup:0.00}x ");
        text.Append(Invariant, $"({c.Attempted} URLs over {c.Consumers} consumers = {comparison.IdealRounds} round(s) instead of {c.Attempted})   ");
        text.Append(Invariant, $"{comparison.OfIdeal:0%} of ideal\n");
        if (comparison.OfIdeal > 1.02)
        {
            // Not a miracle: the sequential run went first and paid the one-off costs.
            text.Append("  note           above ideal: the sequential run went first and also paid start-up costs (JIT, first connection)\n");
        }

        if (comparison.HasFailures)
        {
            var bad = (s.Total - s.Succeeded - s.Duplicates) + (c.Total - c.Succeeded - c.Duplicates);
            text.Append(Invariant, $"  warning        {bad} result(s) were neither succeeded nor duplicate: a speedup over failed requests is no win; check the counts above\n");
        }

        text.Append('\n');
        foreach (var (run, trace) in new[] { (s, sequentialTrace), (c, concurrentTrace) })
        {
            text.Append(Invariant, $"  {WireNames.Mode(run.Mode)}{(trace is null ? string.Empty : "   trace " + trace.TraceId)}\n");
            AppendLittle(text, run, trace);
            ProcessText.Append(text, run);
            AppendAccounting(text, run);
        }
    }

    /// <summary>Appends the Little's-law check: arrivals times time in the system should equal the mean number in it.</summary>
    private static void AppendLittle(StringBuilder text, RunSummary run, RunTrace? trace)
    {
        if (run.Wall <= TimeSpan.Zero || run.Timed == 0)
        {
            return;
        }

        var rate = run.Timed / run.Wall.TotalSeconds;
        var predicted = rate * run.LatencyMean.TotalSeconds;

        // Measured from the spans when there are any: the figure the traces prove.
        var measured = trace?.MeanOverlap ?? run.EffectiveParallelism;
        // With adaptive concurrency the consumers allowed changed over the run: busy against their mean.
        var allowed = run.Adaptive is { } adaptive ? adaptive.Mean : run.Consumers;
        var busy = allowed > 0 ? measured / allowed : 0;
        var verdict = busy >= BusyEnough
            ? "consumers kept busy"
            : "consumers idle part of the time: the source, the channel or the sink held them back";
        text.Append(Invariant, $"  Little's law   L = {rate:0.0} fetches/s x {run.LatencyMean.TotalMilliseconds:0.0} ms = {predicted:0.00} in flight; ");
        if (run.Adaptive is null)
        {
            text.Append(Invariant, $"measured {measured:0.00} of {run.Consumers} consumer(s), {busy:0%} busy: {verdict}\n");
        }
        else
        {
            text.Append(Invariant, $"measured {measured:0.00} of {allowed:0.00} consumer(s) allowed on average, {busy:0%} busy: {verdict}\n");
        }
    }

    /// <summary>Appends where every item went, as the metrics count it: nothing vanishes silently.</summary>
    private static void AppendAccounting(StringBuilder text, RunSummary run)
    {
        // The split of pipeline.items.settled into fetches (pipeline.fetch.duration) and pipeline.items.abandoned.
        text.Append(Invariant, $"  accounted      {run.Enqueued} enqueued, {run.Total} settled: {run.Timed} fetched to an end (succeeded, http_error, failed), {run.Total - run.Timed} not (invalid, duplicate, cancelled, pending)\n");
    }

    private static RunTrace? TraceOf(IReadOnlyList<RunTrace>? traces, RunSummary run)
        => run.SpanId is null ? null : traces?.FirstOrDefault(t => t.SpanId == run.SpanId);

    private static void Row(StringBuilder text, string label, string sequential, string concurrent)
        => text.Append(Invariant, $"  {label,-16}{sequential,16}{concurrent,16}\n");

    private static string Title(RunSummary run) => run.Mode == PipelineMode.Sequential
        ? "Sequential run, 1 consumer"
        : run.Adaptive is { } adaptive
            ? string.Create(Invariant, $"Concurrent run, adaptive consumers ({AdaptiveText.Bounds(adaptive)})")
            : string.Create(Invariant, $"Concurrent run, {run.Consumers} consumers");

    private static string Fetches(RunSummary run) => run.Timed == 1 ? "1 fetch" : string.Create(Invariant, $"{run.Timed} fetches");

    private static string Statuses(RunSummary run) => run.StatusCounts.Count == 0
        ? "none"
        : string.Join(' ', run.StatusCounts.Select(p => string.Create(Invariant, $"{p.Key}x{p.Value}")));

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.000 's'", Invariant);

    private static string Millis(TimeSpan value) => value.TotalMilliseconds.ToString("0.0 'ms'", Invariant);
}
