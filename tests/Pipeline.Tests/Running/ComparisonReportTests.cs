using Pipeline.Running;

namespace Pipeline.Tests.Running;

public sealed class ComparisonReportTests
{
    [Theory]
    [InlineData(40, 10, 10.0)]
    [InlineData(45, 10, 9.0)]
    [InlineData(5, 10, 5.0)]
    [InlineData(1, 1, 1.0)]
    public void IdealSpeedup_NUrlsOverCConsumers_IsNOverRounds(int urls, int consumers, double ideal)
    {
        var report = new ComparisonReport(Summary(PipelineMode.Sequential, 1, urls, 8), Summary(PipelineMode.Concurrent, consumers, urls, 1));

        Assert.Equal(ideal, report.IdealSpeedup, 6);
        Assert.Equal(8, report.Speedup, 6);
    }

    [Fact]
    public void HasFailures_ConcurrentRunWithHttpErrors_IsTrue()
    {
        var report = new ComparisonReport(Summary(PipelineMode.Sequential, 1, 4, 1), Summary(PipelineMode.Concurrent, 4, 4, 1, httpErrors: 1));

        Assert.True(report.HasFailures);
    }

    internal static RunSummary Summary(PipelineMode mode, int consumers, long urls, double wallSeconds, long httpErrors = 0) => new()
    {
        Mode = mode,
        Consumers = consumers,
        Wall = TimeSpan.FromSeconds(wallSeconds),
        Total = urls,
        Succeeded = urls - httpErrors,
        HttpErrors = httpErrors,
        Failed = 0,
        Invalid = 0,
        Cancelled = 0,
        Pending = 0,
        Retries = 0,
        StatusCounts = new Dictionary<int, long> { [200] = urls - httpErrors },
        FetchTime = TimeSpan.FromSeconds(wallSeconds * consumers),
        LatencyP50 = TimeSpan.FromMilliseconds(200),
        LatencyP95 = TimeSpan.FromMilliseconds(210),
        LatencyMax = TimeSpan.FromMilliseconds(220),
        PeakInFlight = consumers,
        ProducerWaits = 0,
        Interrupted = false,
    };
}
