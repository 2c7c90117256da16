namespace Pipeline.Concurrency;

/// <summary>The global limit over a run: lowest, highest, latest, time-weighted mean and the changes themselves.</summary>
/// <remarks>Not thread-safe: the owner locks.</remarks>
internal sealed class LimitHistory
{
    /// <summary>The most changes kept for drawing; the figures count every change.</summary>
    public const int MaxPoints = 10_000;

    private readonly List<LimitPoint> _points = [];
    private TimeSpan _last;
    private double _weighted;

    public LimitHistory(int initial)
    {
        Min = Max = Final = initial;
        _points.Add(new LimitPoint(TimeSpan.Zero, initial));
    }

    public int Min { get; private set; }

    public int Max { get; private set; }

    public int Final { get; private set; }

    public int Changes { get; private set; }

    public IReadOnlyList<LimitPoint> Points => _points;

    /// <summary>Records that the limit is <paramref name="limit"/> from <paramref name="at"/> on.</summary>
    public void Set(TimeSpan at, int limit)
    {
        if (limit == Final)
        {
            return;
        }

        _weighted += Final * (at - _last).TotalSeconds;
        _last = at;
        Final = limit;
        Min = Math.Min(Min, limit);
        Max = Math.Max(Max, limit);
        Changes++;
        if (_points.Count < MaxPoints)
        {
            _points.Add(new LimitPoint(at, limit));
        }
    }

    /// <summary>The mean of the limit over the time from the start to <paramref name="end"/>, each value weighted by how long it held.</summary>
    public double Mean(TimeSpan end)
    {
        var total = end.TotalSeconds;
        var weighted = _weighted + (Final * Math.Max(0, (end - _last).TotalSeconds));
        return total > 0 ? weighted / total : Final;
    }
}
