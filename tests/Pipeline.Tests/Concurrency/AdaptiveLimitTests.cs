using Microsoft.Extensions.Time.Testing;
using Pipeline.Concurrency;

namespace Pipeline.Tests.Concurrency;

/// <summary>The algorithm's decisions, window by window, on a fake clock.</summary>
public sealed class AdaptiveLimitTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Fast = TimeSpan.FromMilliseconds(40);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Add_LatencyAtItsFloor_DoublesEachWindowUpToMax()
    {
        var limit = new AdaptiveLimit(1, 100, Window, _time);

        var seen = Enumerable.Range(0, 9).Select(_ => CleanWindow(limit)).ToList();

        Assert.Equal([2, 4, 8, 16, 32, 64, 100, 100, 100], seen);
        Assert.True(limit.InSlowStart);
    }

    [Fact]
    public void Add_DropInWindow_CutsByBackoffAndEndsSlowStart()
    {
        var limit = Grown(16);

        _time.Advance(Window);
        limit.Add(new LimitSample(Fast, SampleOutcome.Unavailable, 16));

        Assert.Equal(12, limit.Limit);
        Assert.False(limit.InSlowStart);

        // After slow start the limit grows by lg = max(1, log10 limit) a window: 12 → 13.08 → 14.19.
        Assert.Equal(13, CleanWindow(limit));
        Assert.Equal(14, CleanWindow(limit));
    }

    [Theory]
    [InlineData(SampleOutcome.TooManyRequests)]
    [InlineData(SampleOutcome.Unavailable)]
    [InlineData(SampleOutcome.Timeout)]
    [InlineData(SampleOutcome.ConnectionError)]
    [InlineData(SampleOutcome.Retried)]
    public void Add_EveryKindOfDrop_BacksOff(SampleOutcome outcome)
    {
        var limit = Grown(8);

        _time.Advance(Window);
        limit.Add(new LimitSample(Fast, outcome, 8));

        Assert.Equal(6, limit.Limit);
    }

    [Fact]
    public void Add_DropOfRequestSentBeforeTheLastDecrease_IsNotCountedAgain()
    {
        var limit = Grown(16);
        _time.Advance(Window);
        limit.Add(new LimitSample(Fast, SampleOutcome.Unavailable, 16));
        Assert.Equal(12, limit.Limit);

        // The 503 was sent 150 ms ago, before the decrease 100 ms ago: already answered.
        _time.Advance(Window / 2);
        limit.Add(new LimitSample(Fast, SampleOutcome.Ok, 12));
        _time.Advance(Window / 2);
        limit.Add(new LimitSample(TimeSpan.FromMilliseconds(150), SampleOutcome.Unavailable, 12));

        Assert.Equal(13, limit.Limit);
    }

    [Fact]
    public void Add_ManyDropsInOneWindow_BacksOffOnce()
    {
        var limit = Grown(16);

        _time.Advance(Window);
        for (var i = 0; i < 10; i++)
        {
            limit.Add(new LimitSample(TimeSpan.Zero, SampleOutcome.TooManyRequests, 16));
        }

        Assert.Equal(12, limit.Limit);
    }

    [Fact]
    public void Add_RetryAfter_HoldsGrowthUntilItHasPassed()
    {
        var limit = Grown(16);
        _time.Advance(Window);
        limit.Add(new LimitSample(Fast, SampleOutcome.TooManyRequests, 16, RetryAfter: TimeSpan.FromSeconds(1)));
        Assert.Equal(12, limit.Limit);

        // Nine clean windows inside the second the server asked for: no growth.
        var held = Enumerable.Range(0, 9).Select(_ => CleanWindow(limit)).ToList();
        Assert.All(held, l => Assert.Equal(12, l));

        // The tenth ends at 1 s after the answer: growth again.
        Assert.Equal(13, CleanWindow(limit));
    }

    [Fact]
    public void Add_LimitNotInUse_DoesNotGrow()
    {
        var limit = Grown(16);

        // 7 of 16 in flight: fewer than half of the limit, so the clean latency proves nothing.
        _time.Advance(Window);
        limit.Add(new LimitSample(Fast, SampleOutcome.Ok, 7));
        Assert.Equal(16, limit.Limit);

        _time.Advance(Window);
        limit.Add(new LimitSample(Fast, SampleOutcome.Ok, 8));
        Assert.Equal(32, limit.Limit);
    }

    [Fact]
    public void Add_QueueAboveBeta_GoesToWhatTheServerServesPlusAlphaWithinABackoff()
    {
        var limit = Grown(32);

        // Mean latency twice the floor: 16 served, 16 wait; queue 16 > β = 6 × log10 32 = 9.03.
        // Target 16 + α (4.52) = 20.5, but one window cuts at most to 32 × 0.75 = 24.
        _time.Advance(Window);
        limit.Add(new LimitSample(2 * Fast, SampleOutcome.Ok, 32));
        Assert.Equal(24, limit.Limit);
        Assert.False(limit.InSlowStart);

        // Still twice the floor: 12 served; target 12 + 4.14 = 16.1, within the backoff to 18: 18.
        _time.Advance(2 * Window);
        limit.Add(new LimitSample(2 * Fast, SampleOutcome.Ok, 24));
        Assert.Equal(18, limit.Limit);
    }

    [Fact]
    public void Add_QueueJustAboveBeta_ShrinksByAtLeastLg()
    {
        var limit = Grown(32);

        // Queue = 32 × (1 − 40/57.2) = 9.6 > β = 9.03; target 22.4 + 4.5 = 26.9 is below the backoff
        // floor (24) no more, and more than lg below: 26.
        _time.Advance(Window);
        limit.Add(new LimitSample(TimeSpan.FromMilliseconds(57.2), SampleOutcome.Ok, 32));

        Assert.Equal(26, limit.Limit);
    }

    [Fact]
    public void Add_QueueBetweenAlphaAndBeta_GrowsInSlowStartAndHoldsAfter()
    {
        var limit = Grown(32);

        // Queue = 32 × (1 − 40/50) = 6.4: between α = 4.5 and β = 9.03. Slow start goes on.
        _time.Advance(Window);
        limit.Add(new LimitSample(TimeSpan.FromMilliseconds(50), SampleOutcome.Ok, 32));
        Assert.Equal(64, limit.Limit);

        // A drop ends slow start (64 → 48); then the same queue share holds the limit.
        _time.Advance(Window);
        limit.Add(new LimitSample(Fast, SampleOutcome.Unavailable, 64));
        Assert.Equal(48, limit.Limit);
        _time.Advance(Window);
        limit.Add(new LimitSample(TimeSpan.FromMilliseconds(50), SampleOutcome.Ok, 48));
        Assert.Equal(48, limit.Limit);
    }

    [Fact]
    public void Add_WindowNotYetOver_DecidesNothing()
    {
        var limit = new AdaptiveLimit(1, 100, Window, _time);

        _time.Advance(Window - TimeSpan.FromMilliseconds(1));
        limit.Add(new LimitSample(Fast, SampleOutcome.Ok, 1));
        Assert.Equal(1, limit.Limit);
        Assert.Equal(0, limit.Windows);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        limit.Add(new LimitSample(Fast, SampleOutcome.Ok, 1));
        Assert.Equal(2, limit.Limit);
    }

    [Fact]
    public void Add_SlowServer_WindowLastsTwoLowestLatencies()
    {
        var limit = new AdaptiveLimit(1, 100, Window, _time);
        var slow = TimeSpan.FromMilliseconds(300);
        _time.Advance(slow);
        limit.Add(new LimitSample(slow, SampleOutcome.Ok, 1));
        Assert.Equal(1, limit.Limit);
        _time.Advance(slow);
        limit.Add(new LimitSample(slow, SampleOutcome.Ok, 1));
        Assert.Equal(2, limit.Limit);

        // Every window lasts 2 × 300 ms, not 100 ms.
        _time.Advance(TimeSpan.FromMilliseconds(599));
        limit.Add(new LimitSample(slow, SampleOutcome.Ok, 2));
        Assert.Equal(2, limit.Limit);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        limit.Add(new LimitSample(slow, SampleOutcome.Ok, 2));
        Assert.Equal(4, limit.Limit);
    }

    [Fact]
    public void Add_NeverLeavesItsBounds()
    {
        var limit = new AdaptiveLimit(3, 5, Window, _time);
        Assert.Equal(3, limit.Limit);
        Assert.Equal(5, CleanWindow(limit));
        Assert.Equal(5, CleanWindow(limit));
        for (var i = 0; i < 5; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            limit.Add(new LimitSample(TimeSpan.Zero, SampleOutcome.Timeout, 5));
        }

        Assert.Equal(3, limit.Limit);
    }

    [Fact]
    public void Add_ServerSlowerForGood_ProbeMeasuresTheFloorAgain()
    {
        var limit = Grown(32);
        Assert.Equal(Fast, limit.MinRtt);

        // From now on every answer takes 80 ms whatever the load: until the probe, that looks like
        // a queue and the limit shrinks; at the probe the floor becomes 80 ms and it grows again.
        var slower = 2 * Fast;
        var limits = new List<int>();
        while (_time.GetUtcNow() - _time.Start < AdaptiveLimit.RttProbeInterval + TimeSpan.FromSeconds(2))
        {
            _time.Advance(2 * slower);
            limit.Add(new LimitSample(slower, SampleOutcome.Ok, limit.Limit));
            limits.Add(limit.Limit);
        }

        Assert.Equal(slower, limit.MinRtt);
        Assert.True(limits.Min() < 32, $"shrank to {limits.Min()} while the old floor held");
        Assert.True(limit.Limit > limits.Min(), $"grew again after the probe: {limit.Limit}");
    }

    [Theory]
    [InlineData(8, 0)]
    [InlineData(32, 0)]
    [InlineData(8, 8)]
    public void Add_ServerWithCapacityK_SettlesNearK(int capacity, int queue)
    {
        // A server that serves K at a time in 50 ms and queues the rest (up to `queue` beyond K when
        // given, answering 503 past that): latency = 50 ms × in-flight / K once in-flight exceeds K.
        var service = TimeSpan.FromMilliseconds(50);
        var limit = new AdaptiveLimit(1, 256, Window, _time);
        var history = new List<(int Limit, bool Probing)>();
        for (var i = 0; i < 200; i++)
        {
            var inFlight = limit.Limit;
            var rejected = queue > 0 && inFlight > capacity + queue;
            var latency = service * Math.Max(1.0, (double)Math.Min(inFlight, capacity + (queue > 0 ? queue : int.MaxValue - capacity)) / capacity);
            var window = latency * 2 > Window ? latency * 2 : Window;
            _time.Advance(window);
            limit.Add(new LimitSample(latency, rejected ? SampleOutcome.Unavailable : SampleOutcome.Ok, inFlight));
            history.Add((limit.Limit, limit.IsProbing));
        }

        // The band: at least K (the server is kept busy), at most K + β = K + 6·log10(2K) + 1 (Vegas
        // keeps α to β requests waiting at the server, by design: a small queue hides gaps), except
        // in the window of a probe, which halves the limit to see the latency without a queue.
        var settled = history.Skip(100).ToList();
        var ceiling = capacity + (6 * Math.Log10(2 * capacity)) + 1;
        Assert.All(settled.Where(w => !w.Probing), w => Assert.InRange(w.Limit, capacity, ceiling));
        Assert.InRange(settled.Count(w => w.Probing), 0, 2);
    }

    private AdaptiveLimit Grown(int to)
    {
        var limit = new AdaptiveLimit(1, 256, Window, _time);
        while (limit.Limit < to)
        {
            CleanWindow(limit);
        }

        Assert.Equal(to, limit.Limit);
        return limit;
    }

    // One window of answers at the floor latency with the whole limit in use.
    private int CleanWindow(AdaptiveLimit limit)
    {
        _time.Advance(Window);
        limit.Add(new LimitSample(Fast, SampleOutcome.Ok, limit.Limit));
        return limit.Limit;
    }
}
