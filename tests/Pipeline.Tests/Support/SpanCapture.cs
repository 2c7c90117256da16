using System.Collections.Concurrent;
using System.Diagnostics;
using Pipeline.Telemetry;

namespace Pipeline.Tests.Support;

/// <summary>
/// Records the pipeline's and HttpClient's spans. Listeners are process-wide and xunit runs test
/// classes in parallel, so a test starts its own root span and reads only the spans of its trace.
/// </summary>
public sealed class SpanCapture : IDisposable
{
    private const string TestSourceName = "Pipeline.Tests";
    private static readonly ActivitySource TestSource = new(TestSourceName);
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SpanCapture()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is PipelineTelemetry.Name or "System.Net.Http" or TestSourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Starts the test's root span; everything the pipeline does under it shares its trace id.</summary>
    public static Activity StartRoot() => TestSource.StartActivity("test", ActivityKind.Internal, parentContext: default)
        ?? throw new InvalidOperationException("No listener for the test source.");

    public IReadOnlyList<Activity> Of(ActivityTraceId traceId) => [.. _stopped.Where(a => a.TraceId == traceId)];

    public IReadOnlyList<Activity> Of(ActivityTraceId traceId, string name) => [.. Of(traceId).Where(a => a.OperationName == name)];

    public IReadOnlyList<Activity> All => [.. _stopped];

    /// <summary>The largest number of spans open at one moment, from their time stamps alone.</summary>
    public static int PeakOverlap(IEnumerable<Activity> spans)
    {
        // An end and a start at the same instant are back to back, not overlapping: ends sort first.
        var events = spans
            .SelectMany(s => new[] { (At: s.StartTimeUtc, Delta: 1), (At: s.StartTimeUtc + s.Duration, Delta: -1) })
            .OrderBy(e => e.At)
            .ThenBy(e => e.Delta);
        int open = 0, peak = 0;
        foreach (var (_, delta) in events)
        {
            open += delta;
            peak = Math.Max(peak, open);
        }

        return peak;
    }

    public void Dispose() => _listener.Dispose();
}
