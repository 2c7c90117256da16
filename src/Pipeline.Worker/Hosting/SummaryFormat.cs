namespace Pipeline.Worker.Hosting;

/// <summary>How the end-of-batch summary is printed on stdout.</summary>
internal enum SummaryFormat
{
    /// <summary>The full report: counts, latency, in-flight figures, and the comparison in Compare mode.</summary>
    Report,

    /// <summary>One human-readable line, for scripts and logs.</summary>
    Line,

    /// <summary>One JSON object on one line (the benchmark harness's peer contract, plus latency figures).</summary>
    Json,
}
