using Pipeline.Concurrency;

namespace Pipeline.Tests.Concurrency;

public sealed class LimitGateTests
{
    [Fact]
    public async Task WaitAsync_AtTheLimit_WaitsUntilARelease()
    {
        var gate = new LimitGate(2);
        await gate.WaitAsync(CancellationToken.None);
        await gate.WaitAsync(CancellationToken.None);

        var third = gate.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);
        Assert.Equal(1, gate.Waiting);

        gate.Release();
        await third;
        Assert.Equal(2, gate.InUse);
    }

    [Fact]
    public async Task SetLimit_Raised_WakesWaitersAtOnce()
    {
        var gate = new LimitGate(1);
        await gate.WaitAsync(CancellationToken.None);
        var waiters = Enumerable.Range(0, 3).Select(_ => gate.WaitAsync(CancellationToken.None).AsTask()).ToList();

        gate.SetLimit(3);

        await Task.WhenAll(waiters[0], waiters[1]);
        Assert.False(waiters[2].IsCompleted);
        Assert.Equal(3, gate.InUse);
    }

    [Fact]
    public async Task SetLimit_Lowered_TakesNothingBackAndGrantsNoneUntilBelow()
    {
        var gate = new LimitGate(3);
        for (var i = 0; i < 3; i++)
        {
            await gate.WaitAsync(CancellationToken.None);
        }

        gate.SetLimit(1);
        var next = gate.WaitAsync(CancellationToken.None).AsTask();
        gate.Release();
        gate.Release();
        Assert.False(next.IsCompleted);

        gate.Release();
        await next;
        Assert.Equal(1, gate.InUse);
    }

    [Fact]
    public async Task WaitAsync_Cancelled_HoldsNoPermitAndIsSkipped()
    {
        var gate = new LimitGate(1);
        await gate.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var cancelled = gate.WaitAsync(cancel.Token).AsTask();
        var after = gate.WaitAsync(CancellationToken.None).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        gate.Release();

        await after;
        Assert.Equal(1, gate.InUse);
    }

    [Fact]
    public async Task Open_WithWaiters_LetsEveryoneThroughForGood()
    {
        var gate = new LimitGate(1);
        await gate.WaitAsync(CancellationToken.None);
        var waiter = gate.WaitAsync(CancellationToken.None).AsTask();

        gate.Open();
        gate.SetLimit(1);

        await waiter;
        await gate.WaitAsync(CancellationToken.None);
        Assert.Equal(3, gate.InUse);
    }
}
