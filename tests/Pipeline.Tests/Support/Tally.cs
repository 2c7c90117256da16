namespace Pipeline.Tests.Support;

/// <summary>A count that tests can await reaching a value, without polling.</summary>
public sealed class Tally
{
    private readonly Lock _gate = new();
    private readonly List<(int Target, TaskCompletionSource Signal)> _waiters = [];
    private int _count;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _count;
            }
        }
    }

    public void Increment()
    {
        lock (_gate)
        {
            _count++;
            foreach (var waiter in _waiters.Where(w => _count >= w.Target))
            {
                waiter.Signal.TrySetResult();
            }

            _waiters.RemoveAll(w => _count >= w.Target);
        }
    }

    public Task WhenReached(int target)
    {
        lock (_gate)
        {
            if (_count >= target)
            {
                return Task.CompletedTask;
            }

            var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((target, signal));
            return signal.Task;
        }
    }
}
