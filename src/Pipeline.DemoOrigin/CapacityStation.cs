using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Pipeline.DemoOrigin;

/// <summary>
/// A server with a real capacity: at most <see cref="Capacity"/> requests are served at once, each for
/// <see cref="Service"/>; up to <see cref="Queue"/> more wait their turn (so latency grows with the
/// queue), and past that the answer is <c>503</c> at once.
/// </summary>
/// <remarks>Behind <c>/capacity/{k}/{ms}?queue=q&amp;retryAfter=s</c>; one station per (k, ms, q), shared by its requests.</remarks>
public sealed class CapacityStation : IDisposable
{
    private static readonly byte[] Body = "ok\n"u8.ToArray();
    private readonly SemaphoreSlim _slots;
    private long _inSystem;
    private long _peakInSystem;
    private long _served;
    private long _rejected;

    internal CapacityStation(int capacity, TimeSpan service, int queue)
    {
        Capacity = capacity;
        Service = service;
        Queue = queue;
        _slots = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Gets the number of requests served at once.</summary>
    public int Capacity { get; }

    /// <summary>Gets how long serving one request takes.</summary>
    public TimeSpan Service { get; }

    /// <summary>Gets how many requests may wait beyond <see cref="Capacity"/> before the station answers 503.</summary>
    public int Queue { get; }

    /// <summary>Gets the number of requests served (200).</summary>
    public long Served => Volatile.Read(ref _served);

    /// <summary>Gets the number of requests turned away (503).</summary>
    public long Rejected => Volatile.Read(ref _rejected);

    /// <summary>Gets the most requests that were in the station at once, served or waiting (rejected ones not counted).</summary>
    public long PeakInSystem => Volatile.Read(ref _peakInSystem);

    /// <summary>Releases the station's slots; the server does it when it stops.</summary>
    public void Dispose() => _slots.Dispose();

    internal async Task HandleAsync(HttpContext context, int? retryAfterSeconds)
    {
        var now = Interlocked.Increment(ref _inSystem);
        try
        {
            if (now > Capacity + Queue)
            {
                Interlocked.Increment(ref _rejected);
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                if (retryAfterSeconds is { } seconds)
                {
                    context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                }

                return;
            }

            RaisePeak(now);
            await _slots.WaitAsync(context.RequestAborted);
            try
            {
                await Task.Delay(Service, context.RequestAborted);
            }
            finally
            {
                _slots.Release();
            }

            Interlocked.Increment(ref _served);
            context.Response.ContentType = "text/plain";
            context.Response.ContentLength = Body.Length;
            await context.Response.Body.WriteAsync(Body, context.RequestAborted);
        }
        finally
        {
            Interlocked.Decrement(ref _inSystem);
        }
    }

    private void RaisePeak(long now)
    {
        var peak = Volatile.Read(ref _peakInSystem);
        while (now > peak)
        {
            var seen = Interlocked.CompareExchange(ref _peakInSystem, now, peak);
            if (seen == peak)
            {
                break;
            }

            peak = seen;
        }
    }
}
