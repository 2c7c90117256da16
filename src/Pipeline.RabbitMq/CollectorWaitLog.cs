using Microsoft.Extensions.Logging;

namespace Pipeline.RabbitMq;

/// <summary>
/// Says, at a slow interval, that the collector is still waiting and on which queue, whenever nothing
/// arrived during the last interval: a collector started before its producer otherwise waits without a word.
/// </summary>
/// <remarks>The timer runs on the <see cref="TimeProvider"/>, so a test drives it with a fake clock.</remarks>
internal sealed class CollectorWaitLog : IDisposable
{
    /// <summary>How long the collector waits silently before saying so (and again after each further interval).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    private readonly ILogger _logger;
    private readonly string _queue;
    private readonly ITimer _timer;
    private readonly Lock _gate = new();
    private bool _arrived;
    private int _announced;
    private long _received;
    private long _expected;
    private long _written;

    public CollectorWaitLog(TimeProvider timeProvider, ILogger logger, string queue)
    {
        _logger = logger;
        _queue = queue;
        _timer = timeProvider.CreateTimer(_ => Tick(), null, Interval, Interval);
    }

    /// <summary>Records what the collector has after a round of deliveries.</summary>
    /// <param name="batches">Every batch seen, announced (an expected count) or not yet (<see cref="long.MaxValue"/>).</param>
    /// <param name="written">Distinct results written to the file.</param>
    public void Progress(IReadOnlyDictionary<string, (long Expected, long Received)> batches, long written)
    {
        var announced = batches.Values.Where(b => b.Expected != long.MaxValue).ToList();
        lock (_gate)
        {
            _arrived = true;
            _announced = announced.Count;
            _expected = announced.Sum(b => b.Expected);
            _received = announced.Sum(b => b.Received);
            _written = written;
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Tick()
    {
        lock (_gate)
        {
            if (_arrived)
            {
                _arrived = false;
                return;
            }

            if (_announced == 0)
            {
                Log.WaitingForBatch(_logger, _queue, _written, Interval);
            }
            else
            {
                Log.WaitingForResults(_logger, _queue, _received, _expected, _announced, Interval);
            }
        }
    }
}
