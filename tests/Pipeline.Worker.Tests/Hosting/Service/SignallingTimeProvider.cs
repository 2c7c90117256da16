using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Pipeline.Worker.Tests.Hosting.Service;

/// <summary>A <see cref="FakeTimeProvider"/> that tells the test each time a timer is created, so it advances time only once the code waits on it.</summary>
internal sealed class SignallingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until the code under test starts a timer and returns its due time.</summary>
    public async Task<TimeSpan> NextTimerAsync() => await _created.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(60));
}
