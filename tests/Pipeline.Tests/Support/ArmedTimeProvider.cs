using Microsoft.Extensions.Time.Testing;

namespace Pipeline.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also tells when code under test has armed a timer, so a test
/// advances the clock only once the wait it means to end has begun (no sleeps, no races).
/// </summary>
public sealed class ArmedTimeProvider : TimeProvider
{
    private readonly SemaphoreSlim _armed = new(0);

    public FakeTimeProvider Fake { get; } = new();

    public override long TimestampFrequency => Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => Fake.LocalTimeZone;

    public override long GetTimestamp() => Fake.GetTimestamp();

    public override DateTimeOffset GetUtcNow() => Fake.GetUtcNow();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ArmedTimer(Fake.CreateTimer(callback, state, dueTime, period), _armed);
        ArmedTimer.Signal(_armed, dueTime);
        return timer;
    }

    /// <summary>Waits until a timer has been given a finite due time.</summary>
    public Task WaitArmedAsync() => _armed.WaitAsync().Guarded();

    private sealed class ArmedTimer(ITimer inner, SemaphoreSlim armed) : ITimer
    {
        public static void Signal(SemaphoreSlim armed, TimeSpan dueTime)
        {
            if (dueTime != Timeout.InfiniteTimeSpan)
            {
                armed.Release();
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            Signal(armed, dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
