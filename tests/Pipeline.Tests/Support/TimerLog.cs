using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Pipeline.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports each timer as it is created, so a test can
/// wait for the code to start waiting and then advance exactly that long: no race with the
/// creation of the timer, no real wait.
/// </summary>
public sealed class TimerLog : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _created = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _created.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits for the next timer whose due time matches, and returns that due time.</summary>
    public async Task<TimeSpan> NextTimerAsync(Func<TimeSpan, bool> match)
    {
        using var hang = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var due = await _created.Reader.ReadAsync(hang.Token);
            if (match(due))
            {
                return due;
            }
        }
    }
}
