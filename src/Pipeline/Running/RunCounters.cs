namespace Pipeline.Running;

/// <summary>Live counters of one run, safe to read from any thread while it goes on (progress, gauges).</summary>
public sealed class RunCounters
{
    private long _enqueued;
    private long _inFlight;
    private long _peakInFlight;
    private long _completed;
    private long _succeeded;
    private long _httpErrors;
    private long _failed;
    private long _invalid;
    private long _fetched;
    private long _producerWaits;
    private int _concurrencyLimit;

    /// <summary>Gets the number of items producers have written to the work channel.</summary>
    public long Enqueued => Volatile.Read(ref _enqueued);

    /// <summary>Gets the number of fetches under way now.</summary>
    public long InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the largest number of fetches that were under way at once.</summary>
    public long PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Gets the number of results the sink stage has taken.</summary>
    public long Completed => Volatile.Read(ref _completed);

    /// <summary>Gets the number of results with a 1xx-3xx answer.</summary>
    public long Succeeded => Volatile.Read(ref _succeeded);

    /// <summary>Gets the number of results with a 4xx or 5xx answer.</summary>
    public long HttpErrors => Volatile.Read(ref _httpErrors);

    /// <summary>Gets the number of results without a usable answer (includes cancelled ones).</summary>
    public long Failed => Volatile.Read(ref _failed);

    /// <summary>Gets the number of input lines that were not usable URLs.</summary>
    public long Invalid => Volatile.Read(ref _invalid);

    /// <summary>Gets the number of fetches that ran to an end (succeeded, http_error or failed): what a rate counts.</summary>
    public long Fetched => Volatile.Read(ref _fetched);

    /// <summary>Gets how many times a producer found the work channel full and had to wait: back-pressure at work.</summary>
    public long ProducerWaits => Volatile.Read(ref _producerWaits);

    /// <summary>Gets the number of consumers adaptive concurrency allows now, or 0 when the number is fixed.</summary>
    public int ConcurrencyLimit => Volatile.Read(ref _concurrencyLimit);

    /// <summary>Gets the number of items in the work channel now.</summary>
    public long QueueDepth => Math.Max(0, Enqueued - Completed - InFlight);

    internal void LimitChanged(int limit) => Volatile.Write(ref _concurrencyLimit, limit);

    internal void ItemEnqueued() => Interlocked.Increment(ref _enqueued);

    internal void ProducerWaited() => Interlocked.Increment(ref _producerWaits);

    internal void FetchStarted()
    {
        var now = Interlocked.Increment(ref _inFlight);
        var peak = Volatile.Read(ref _peakInFlight);
        while (now > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakInFlight, now, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }

    internal void FetchEnded() => Interlocked.Decrement(ref _inFlight);

    internal void ResultTaken(Fetching.FetchOutcome outcome)
    {
        Interlocked.Increment(ref _completed);
        switch (outcome)
        {
            case Fetching.FetchOutcome.Succeeded:
                Interlocked.Increment(ref _succeeded);
                Interlocked.Increment(ref _fetched);
                break;
            case Fetching.FetchOutcome.HttpError:
                Interlocked.Increment(ref _httpErrors);
                Interlocked.Increment(ref _fetched);
                break;
            case Fetching.FetchOutcome.Failed:
                Interlocked.Increment(ref _failed);
                Interlocked.Increment(ref _fetched);
                break;
            case Fetching.FetchOutcome.Invalid:
                Interlocked.Increment(ref _invalid);
                break;
            case Fetching.FetchOutcome.Duplicate:
                break;
            default:
                Interlocked.Increment(ref _failed);
                break;
        }
    }
}
