using System.Text.Json;
using Pipeline.Reporting;
using Pipeline.Running;

namespace Pipeline.Tests.Reporting;

public sealed class SummaryFormatterTests
{
    [Fact]
    public void FormatLine_TwoHundredCopiesOfOneUrl_RatesTheOneFetchNotTheLines()
    {
        var report = new BatchReport([Copies()], null, "results.jsonl");

        var line = SummaryFormatter.FormatLine(report);

        Assert.Contains(", 200 line(s): 1 succeeded, 0 http_error, 0 failed, 0 invalid, 199 duplicate, 0 cancelled, 0 pending; 1 fetch in 0.500 s (2.0 fetches/s);", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_TwoHundredCopiesOfOneUrl_ReportsFetchesPerSecond()
    {
        var report = new BatchReport([Copies()], null, "results.jsonl");

        var text = SummaryFormatter.Format(report);

        Assert.Contains("  lines          200  (1 succeeded, 0 http_error, 0 failed, 0 invalid, 199 duplicate, 0 cancelled, 0 pending)\n", text, StringComparison.Ordinal);
        Assert.Contains("throughput 2.0 fetches/s (1 fetch: succeeded, http_error or failed)\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("URL/s", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatJson_TwoHundredCopiesOfOneUrl_KeepsTheHarnessKeysAndSplitsNByOutcome()
    {
        var report = new BatchReport([Copies()], null, "results.jsonl");

        var json = JsonDocument.Parse(SummaryFormatter.FormatJson(report)).RootElement;

        // The harness's contract: ok + failed = n, rps = n / wall_s.
        Assert.Equal(200, json.GetProperty("n").GetInt64());
        Assert.Equal(1, json.GetProperty("ok").GetInt64());
        Assert.Equal(199, json.GetProperty("failed").GetInt64());
        Assert.Equal(400.0, json.GetProperty("rps").GetDouble());
        var outcomes = json.GetProperty("outcomes").EnumerateObject().Select(p => (p.Name, p.Value.GetInt64())).ToList();
        Assert.Equal([("succeeded", 1L), ("http_error", 0L), ("failed", 0L), ("invalid", 0L), ("duplicate", 199L), ("cancelled", 0L), ("pending", 0L)], outcomes);
    }

    private static RunSummary Copies() => new()
    {
        Mode = PipelineMode.Concurrent,
        Consumers = 4,
        Wall = TimeSpan.FromSeconds(0.5),
        Total = 200,
        Succeeded = 1,
        HttpErrors = 0,
        Failed = 0,
        Invalid = 0,
        Duplicates = 199,
        Cancelled = 0,
        Pending = 0,
        Retries = 0,
        StatusCounts = new Dictionary<int, long> { [200] = 1 },
        FetchTime = TimeSpan.FromMilliseconds(20),
        LatencyP50 = TimeSpan.FromMilliseconds(20),
        LatencyP95 = TimeSpan.FromMilliseconds(20),
        LatencyMax = TimeSpan.FromMilliseconds(20),
        LatencyMean = TimeSpan.FromMilliseconds(20),
        PeakInFlight = 1,
        ProducerWaits = 0,
        Interrupted = false,
        Enqueued = 200,
    };
}
