using System.Collections;
using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Pipeline.Telemetry;

namespace Pipeline.Tests.Support;

/// <summary>
/// Records the pipeline's and HttpClient's spans through OpenTelemetry's in-memory exporter.
/// Listeners are process-wide and xunit runs test classes in parallel, so a test starts its own
/// root span and reads only the spans of its trace.
/// </summary>
public sealed class SpanCapture : IDisposable
{
    private const string TestSourceName = "Pipeline.Tests";
    private static readonly ActivitySource TestSource = new(TestSourceName);
    private readonly LockedList<Activity> _exported = new();
    private readonly TracerProvider _provider;

    public SpanCapture() => _provider = Sdk.CreateTracerProviderBuilder()
        .AddSource(PipelineTelemetry.Name, "System.Net.Http", TestSourceName)
        .SetSampler(new AlwaysOnSampler())
        .AddInMemoryExporter(_exported)
        .Build();

    /// <summary>Starts the test's root span; everything the pipeline does under it shares its trace id.</summary>
    public static Activity StartRoot() => TestSource.StartActivity("test", ActivityKind.Internal, parentContext: default)
        ?? throw new InvalidOperationException("No listener for the test source.");

    public IReadOnlyList<Activity> Of(ActivityTraceId traceId) => [.. _exported.Snapshot().Where(a => a.TraceId == traceId)];

    public IReadOnlyList<Activity> Of(ActivityTraceId traceId, string name) => [.. Of(traceId).Where(a => a.OperationName == name)];

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

    public void Dispose() => _provider.Dispose();

    /// <summary>The exporter adds from whichever thread ends a span while the test reads: a list behind a lock.</summary>
    private sealed class LockedList<T> : ICollection<T>
    {
        private readonly List<T> _items = [];

        public int Count
        {
            get
            {
                lock (_items)
                {
                    return _items.Count;
                }
            }
        }

        public bool IsReadOnly => false;

        public void Add(T item)
        {
            lock (_items)
            {
                _items.Add(item);
            }
        }

        public List<T> Snapshot()
        {
            lock (_items)
            {
                return [.. _items];
            }
        }

        public void Clear()
        {
            lock (_items)
            {
                _items.Clear();
            }
        }

        public bool Contains(T item) => Snapshot().Contains(item);

        public void CopyTo(T[] array, int arrayIndex) => Snapshot().CopyTo(array, arrayIndex);

        public bool Remove(T item)
        {
            lock (_items)
            {
                return _items.Remove(item);
            }
        }

        public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
