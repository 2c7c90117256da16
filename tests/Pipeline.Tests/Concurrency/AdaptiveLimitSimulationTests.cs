using Microsoft.Extensions.Time.Testing;
using Pipeline.Concurrency;

namespace Pipeline.Tests.Concurrency;

/// <summary>
/// The limit driving a simulated client and server millisecond by millisecond on a fake clock: every
/// answer a sample, as in a real run, so a window holds as many answers as the limit allows.
/// </summary>
public sealed class AdaptiveLimitSimulationTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(100);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Add_LatencyOnlyServer_ReachesMaxInSlowStart()
    {
        var run = Simulation.Run(new AdaptiveLimit(1, 256, Window, _time), _time, new LatencyOnly(100, 0), seconds: 5);

        // 1 → 256 is eight doublings, one a window of two round trips (200 ms): 1.6 s, and it stays.
        Assert.InRange(run.FirstAt(256), 1.5, 1.8);
        Assert.Equal(256, run.Final);
        Assert.Equal(0, run.Rejected);
    }

    [Theory]
    [InlineData(50, 0.1)] // 1.5 × the floor at 256 in flight: the loaded machine of the first sweep
    [InlineData(100, 0.3)] // 1.8 × at 256
    [InlineData(20, 0.05)] // 1.6 × at 256
    [InlineData(50, 0.4)] // 3 × at 256: the answers of a doubled limit come well after two floor latencies
    public void Add_LatencyOnlyServerWithBusyClient_ClimbsToMaxAndStays(int serviceMs, double clientMsPerRequest)
    {
        // The client's own CPU adds to every latency in proportion to what is in flight: latency rises
        // with the limit although the server has no capacity limit, and more concurrency still brings
        // more answers per second. Vegas alone reads the rise as a queue and settled near 70 (issue 19).
        var limit = new AdaptiveLimit(1, 256, Window, _time);
        var run = Simulation.Run(limit, _time, new LatencyOnly(serviceMs, clientMsPerRequest), seconds: 40);

        Assert.Equal(256, run.Final);
        Assert.Equal(256, limit.ScalesTo);
        Assert.True(run.MeanAfter(5) >= 0.9 * 256, $"mean limit after 5 s {run.MeanAfter(5):F1}");
        Assert.Equal(0, run.Rejected);
    }

    [Theory]
    [InlineData(16, 20, 16, 0)]
    [InlineData(8, 40, 8, 0)]
    [InlineData(32, 20, 32, 0)]
    [InlineData(16, 20, 16, 0.05)] // and a busy client: the capacity still caps the answers per second
    public void Add_ServerWithCapacityK_SettlesNearKWithFarFewerRejectionsThanFourK(int capacity, int serviceMs, int queue, double clientMsPerRequest)
    {
        var limit = new AdaptiveLimit(1, 256, Window, _time);
        var auto = Simulation.Run(limit, _time, new Capacity(capacity, serviceMs, queue, clientMsPerRequest), seconds: 40);
        var fixedFourK = Simulation.RunFixed(4 * capacity, new Capacity(capacity, serviceMs, queue, clientMsPerRequest), seconds: 40);

        // The band: at least K (the server is kept busy), at most K + β + 1 (Vegas keeps α to β waiting
        // at the server by design), outside probe windows.
        var ceiling = capacity + (6 * Math.Log10(2 * capacity)) + 1;
        Assert.All(auto.After(10).Where(p => !p.Probing), p => Assert.InRange(p.Limit, capacity, ceiling));
        Assert.Equal(0, limit.ScalesTo);
        Assert.True(auto.Rejected * 10 <= fixedFourK.Rejected, $"auto turned away {auto.Rejected}, fixed 4K {fixedFourK.Rejected}");

        // And it serves about as much as the server can: within 10 % of fixed 4K's answers.
        Assert.True(auto.Answered >= 0.9 * fixedFourK.Answered, $"auto {auto.Answered} against fixed 4K {fixedFourK.Answered}");
    }

    /// <summary>A server with no capacity limit, and a client whose CPU adds <c>clientMs</c> per request in flight.</summary>
    private sealed class LatencyOnly(double serviceMs, double clientMs) : Simulation.IServer
    {
        public (double DoneMs, bool Rejected) Send(double nowMs, int inFlight) => (nowMs + serviceMs + (clientMs * inFlight), false);
    }

    /// <summary>A server that serves <c>capacity</c> at a time, queues <c>queue</c> more and turns away (503) the rest.</summary>
    private sealed class Capacity(int capacity, double serviceMs, int queue, double clientMs) : Simulation.IServer
    {
        private readonly double[] _slotFree = new double[capacity];
        private readonly List<double> _starts = [];

        public (double DoneMs, bool Rejected) Send(double nowMs, int inFlight)
        {
            _starts.RemoveAll(s => s <= nowMs);
            if (_starts.Count >= queue)
            {
                return (nowMs + 1, true);
            }

            var slot = Array.IndexOf(_slotFree, _slotFree.Min());
            var start = Math.Max(nowMs, _slotFree[slot]);
            if (start > nowMs)
            {
                _starts.Add(start);
            }

            _slotFree[slot] = start + serviceMs;
            return (start + serviceMs + (clientMs * inFlight), false);
        }
    }
}
