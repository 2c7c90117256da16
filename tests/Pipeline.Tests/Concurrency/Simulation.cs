using Microsoft.Extensions.Time.Testing;
using Pipeline.Concurrency;

namespace Pipeline.Tests.Concurrency;

/// <summary>
/// A client that keeps <c>limit</c> requests in flight to a simulated server, in steps of 1 ms of fake
/// time: each answer is fed to the limit as it arrives, then the client tops up to the (new) limit.
/// </summary>
internal sealed class Simulation
{
    private readonly List<(double AtSeconds, int Limit, bool Probing)> _points = [];

    private Simulation()
    {
    }

    /// <summary>A simulated server.</summary>
    public interface IServer
    {
        /// <summary>Takes a request sent at <paramref name="nowMs"/> with <paramref name="inFlight"/> in flight, itself included.</summary>
        /// <param name="nowMs">When it is sent.</param>
        /// <param name="inFlight">Requests in flight with it.</param>
        /// <returns>When it is answered, and whether it is turned away (503).</returns>
        (double DoneMs, bool Rejected) Send(double nowMs, int inFlight);
    }

    public int Rejected { get; private set; }

    public int Answered { get; private set; }

    public int Final => _points[^1].Limit;

    /// <summary>Runs <paramref name="limit"/>, whose clock is <paramref name="time"/>, against the server.</summary>
    public static Simulation Run(AdaptiveLimit limit, FakeTimeProvider time, IServer server, int seconds) =>
        Go(server, seconds, limit, time, () => limit.Limit, () => limit.IsProbing);

    /// <summary>Runs a fixed concurrency against the server.</summary>
    public static Simulation RunFixed(int concurrency, IServer server, int seconds) =>
        Go(server, seconds, null, null, () => concurrency, () => false);

    /// <summary>The first time, in seconds, at which the limit was at least <paramref name="limit"/>.</summary>
    public double FirstAt(int limit) => _points.First(p => p.Limit >= limit).AtSeconds;

    public IEnumerable<(double AtSeconds, int Limit, bool Probing)> After(double seconds) => _points.Where(p => p.AtSeconds >= seconds);

    public double MeanAfter(double seconds) => After(seconds).Average(p => p.Limit);

    private static Simulation Go(IServer server, int seconds, AdaptiveLimit? limit, FakeTimeProvider? time, Func<int> current, Func<bool> probing)
    {
        var run = new Simulation();
        var inFlight = new List<(double SentMs, double DoneMs, bool Rejected)>();
        for (var ms = 1; ms <= seconds * 1000; ms++)
        {
            time?.Advance(TimeSpan.FromMilliseconds(1));
            foreach (var done in inFlight.Where(r => r.DoneMs <= ms).OrderBy(r => r.DoneMs).ToList())
            {
                var count = inFlight.Count;
                inFlight.Remove(done);
                run.Rejected += done.Rejected ? 1 : 0;
                run.Answered += done.Rejected ? 0 : 1;
                var outcome = done.Rejected ? SampleOutcome.Unavailable : SampleOutcome.Ok;
                limit?.Add(new LimitSample(TimeSpan.FromMilliseconds(ms - done.SentMs), outcome, count));
            }

            while (inFlight.Count < current())
            {
                var (doneMs, rejected) = server.Send(ms, inFlight.Count + 1);
                inFlight.Add((ms, doneMs, rejected));
            }

            run._points.Add((ms / 1000.0, current(), probing()));
        }

        return run;
    }
}
