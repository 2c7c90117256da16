namespace Pipeline.Running;

/// <summary>
/// A fixed-size log-scale histogram of durations: percentiles within 1 % of the truth in constant
/// memory, so a run over ten million URLs costs the same few kilobytes as a run over ten.
/// </summary>
internal sealed class LatencyHistogram
{
    // Buckets grow by 1 % from 1 microsecond; 2,300 of them reach past 2 hours.
    private const double Growth = 1.01;
    private const int BucketCount = 2_300;
    private static readonly double LogGrowth = Math.Log(Growth);
    private readonly long[] _buckets = new long[BucketCount];

    public long Count { get; private set; }

    public TimeSpan Max { get; private set; }

    public TimeSpan Sum { get; private set; }

    public TimeSpan Mean => Count == 0 ? TimeSpan.Zero : Sum / Count;

    public void Record(TimeSpan duration)
    {
        if (duration < TimeSpan.Zero)
        {
            duration = TimeSpan.Zero;
        }

        _buckets[BucketOf(duration)]++;
        Count++;
        Sum += duration;
        if (duration > Max)
        {
            Max = duration;
        }
    }

    /// <summary>Gets the duration at or below which <paramref name="percentile"/> percent of the records fall.</summary>
    public TimeSpan Percentile(double percentile)
    {
        if (Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (long)Math.Ceiling(percentile / 100 * Count);
        rank = Math.Clamp(rank, 1, Count);
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _buckets[i];
            if (seen >= rank)
            {
                // The bucket's upper bound, but never above the largest value actually seen.
                var upper = TimeSpan.FromMicroseconds(Math.Pow(Growth, i + 1));
                return upper < Max ? upper : Max;
            }
        }

        return Max;
    }

    private static int BucketOf(TimeSpan duration)
    {
        var micros = duration.Ticks / (double)TimeSpan.TicksPerMicrosecond;
        if (micros <= 1)
        {
            return 0;
        }

        var index = (int)(Math.Log(micros) / LogGrowth);
        return Math.Min(index, BucketCount - 1);
    }
}
