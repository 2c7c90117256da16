namespace Pipeline.DemoOrigin;

/// <summary>What the origin saw, measured on the server side: the proof that does not trust the client.</summary>
public sealed class DemoOriginStats
{
    private long _inFlight;
    private long _peakInFlight;
    private long _requests;

    /// <summary>Gets the number of requests being handled now.</summary>
    public long InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Gets the largest number of requests handled at once since the start or the last <see cref="Reset"/>.</summary>
    public long PeakInFlight => Volatile.Read(ref _peakInFlight);

    /// <summary>Gets the number of requests received since the start or the last <see cref="Reset"/>.</summary>
    public long Requests => Volatile.Read(ref _requests);

    /// <summary>Forgets the peak and the request count.</summary>
    public void Reset()
    {
        Volatile.Write(ref _peakInFlight, InFlight);
        Volatile.Write(ref _requests, 0);
    }

    internal void Enter()
    {
        Interlocked.Increment(ref _requests);
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

    internal void Leave() => Interlocked.Decrement(ref _inFlight);
}
