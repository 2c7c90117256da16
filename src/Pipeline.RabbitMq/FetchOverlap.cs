namespace Pipeline.RabbitMq;

/// <summary>
/// The most fetches under way at once across the fleet, from each result's start and duration, in
/// bounded memory: starts and ends are counted per time slot, and the slots widen when they get too many.
/// </summary>
/// <remarks>
/// Within a slot the starts are counted before the ends, so the figure is an upper bound that is exact
/// to the slot's width (10 ms at first; a run of hours widens it to seconds).
/// </remarks>
internal sealed class FetchOverlap
{
    private const int MaxSlots = 1 << 16;
    private readonly Dictionary<long, (long Starts, long Ends)> _slots = [];
    private long _width = TimeSpan.TicksPerMillisecond * 10;
    private DateTimeOffset? _first;
    private DateTimeOffset? _last;

    /// <summary>Gets the wall time from the first start to the last end, or null when nothing was fetched.</summary>
    public TimeSpan? Wall => _first is { } first && _last is { } last ? last - first : null;

    public void Add(DateTimeOffset start, TimeSpan duration)
    {
        var end = start + duration;
        _first = _first is { } first && first < start ? first : start;
        _last = _last is { } last && last > end ? last : end;
        Count(start.UtcTicks / _width, starts: 1, ends: 0);
        Count(end.UtcTicks / _width, starts: 0, ends: 1);
        while (_slots.Count > MaxSlots)
        {
            Widen();
        }
    }

    public long Peak()
    {
        long open = 0, peak = 0;
        foreach (var slot in _slots.OrderBy(s => s.Key))
        {
            open += slot.Value.Starts;
            peak = Math.Max(peak, open);
            open -= slot.Value.Ends;
        }

        return peak;
    }

    private void Count(long slot, long starts, long ends)
    {
        var now = _slots.GetValueOrDefault(slot);
        _slots[slot] = (now.Starts + starts, now.Ends + ends);
    }

    private void Widen()
    {
        var old = _slots.ToArray();
        _slots.Clear();
        _width *= 4;
        foreach (var (slot, counts) in old)
        {
            Count(slot / 4, counts.Starts, counts.Ends);
        }
    }
}
