namespace Pipeline.Concurrency;

/// <summary>An async semaphore whose number of permits can change while it is in use.</summary>
/// <remarks>
/// Lowering the limit takes nothing back: holders finish, and no new permit is granted until fewer
/// than the new limit are held. Waiters are served oldest first.
/// </remarks>
internal sealed class LimitGate
{
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _limit;
    private int _inUse;
    private bool _open;

    /// <summary>Initializes a new instance of the <see cref="LimitGate"/> class.</summary>
    /// <param name="limit">The number of permits.</param>
    public LimitGate(int limit) => _limit = Math.Max(1, limit);

    /// <summary>Gets the number of permits.</summary>
    public int Limit => Volatile.Read(ref _limit);

    /// <summary>Gets the number of permits held.</summary>
    public int InUse => Volatile.Read(ref _inUse);

    /// <summary>Gets the number of callers waiting for a permit (cancelled ones until they are skipped).</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>Changes the number of permits; a higher number wakes waiters at once.</summary>
    /// <param name="limit">The new number (at least 1).</param>
    public void SetLimit(int limit)
    {
        lock (_lock)
        {
            _limit = Math.Max(1, limit);
            GrantLocked();
        }
    }

    /// <summary>Lets every caller through from now on, waiting or not: there is nothing left to limit.</summary>
    /// <remarks>The consumers' gate opens when the work channel is done, so that loops parked beyond the limit see it and end.</remarks>
    public void Open()
    {
        lock (_lock)
        {
            _open = true;
            while (_waiters.TryDequeue(out var next))
            {
                if (next.TrySetResult())
                {
                    _inUse++;
                }
            }
        }
    }

    /// <summary>Waits for a permit.</summary>
    /// <param name="cancellationToken">Stops waiting; no permit is then held.</param>
    /// <returns>A task that completes when the permit is held.</returns>
    public ValueTask WaitAsync(CancellationToken cancellationToken)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_open || (_inUse < _limit && _waiters.Count == 0))
            {
                _inUse++;
                return ValueTask.CompletedTask;
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        return WaitSlowAsync(waiter, cancellationToken);
    }

    /// <summary>Gives a permit back.</summary>
    public void Release()
    {
        lock (_lock)
        {
            _inUse--;
            GrantLocked();
        }
    }

    private static async ValueTask WaitSlowAsync(TaskCompletionSource waiter, CancellationToken cancellationToken)
    {
        // Whoever completes the waiter first wins: a grant (the permit is counted as held) or the
        // cancellation (the grant then skips it).
        await using var registration = cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter);
        await waiter.Task.ConfigureAwait(false);
    }

    private void GrantLocked()
    {
        while (_inUse < _limit && _waiters.TryDequeue(out var next))
        {
            if (next.TrySetResult())
            {
                _inUse++;
            }
        }
    }
}
