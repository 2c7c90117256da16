using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Pipeline.Telemetry;

namespace Pipeline.Tests.Support;

/// <summary>Records every measurement of the <c>Pipeline</c> meter with its tags.</summary>
public sealed class MeterCapture : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(string Instrument, double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MeterCapture()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == PipelineTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Reads the observable gauges now.</summary>
    public void Observe() => _listener.RecordObservableInstruments();

    /// <summary>Sums the measurements of an instrument whose tags include the given ones.</summary>
    public double Sum(string instrument, params (string Key, object Value)[] tags)
        => Matching(instrument, tags).Sum(m => m.Value);

    /// <summary>Counts the measurements of an instrument whose tags include the given ones.</summary>
    public int Count(string instrument, params (string Key, object Value)[] tags)
        => Matching(instrument, tags).Count();

    public IReadOnlyList<double> Values(string instrument, params (string Key, object Value)[] tags)
        => [.. Matching(instrument, tags).Select(m => m.Value)];

    public void Dispose() => _listener.Dispose();

    private IEnumerable<(string Instrument, double Value, Dictionary<string, object?> Tags)> Matching(string instrument, (string Key, object Value)[] tags)
        => _measurements.Where(m => m.Instrument == instrument && tags.All(t => m.Tags.TryGetValue(t.Key, out var v) && Equals(v, t.Value)));

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, object?>();
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value;
        }

        _measurements.Enqueue((instrument.Name, value, copy));
    }
}
