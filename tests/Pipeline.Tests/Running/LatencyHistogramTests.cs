using Pipeline.Running;

namespace Pipeline.Tests.Running;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentile_OneToOneThousandMilliseconds_IsWithinOnePercent()
    {
        var histogram = new LatencyHistogram();
        for (var ms = 1; ms <= 1000; ms++)
        {
            histogram.Record(TimeSpan.FromMilliseconds(ms));
        }

        Assert.InRange(histogram.Percentile(50).TotalMilliseconds, 500, 505);
        Assert.InRange(histogram.Percentile(95).TotalMilliseconds, 950, 959.5);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), histogram.Max);
        Assert.Equal(TimeSpan.FromMilliseconds(1000), histogram.Percentile(100));
        Assert.Equal(1000, histogram.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(500.5), histogram.Mean);
    }

    [Fact]
    public void Percentile_Empty_IsZero()
        => Assert.Equal(TimeSpan.Zero, new LatencyHistogram().Percentile(50));

    [Fact]
    public void Percentile_SingleValue_IsThatValue()
    {
        var histogram = new LatencyHistogram();
        histogram.Record(TimeSpan.FromMilliseconds(200));

        Assert.Equal(TimeSpan.FromMilliseconds(200), histogram.Percentile(50));
        Assert.Equal(TimeSpan.FromMilliseconds(200), histogram.Percentile(95));
    }
}
