namespace Pipeline.Concurrency;

/// <summary>
/// One adaptive concurrency limit: TCP Vegas's queue estimate with a slow start, and a multiplicative
/// decrease on drops (429, 503/504, timeouts, connection errors, retried requests).
/// </summary>
/// <remarks>
/// <para>
/// Samples are gathered in windows of at least <c>Window</c>, two of the lowest latencies seen and two of
/// the last window's mean latency (a change of the limit shows in the latencies one round trip later).
/// At the end of a window:
/// </para>
/// <list type="number">
/// <item>Any drop among requests sent after the last decrease: limit × <see cref="Backoff"/>; slow start ends.
/// A drop closes the window at once, as a loss does in TCP: a server answering 503 at once would
/// otherwise see a storm of them before the window ends.</item>
/// <item>Otherwise Little's law estimates how many of the <c>limit</c> requests wait in a queue at the
/// server instead of being served: <c>queue = limit × (1 − minRtt / meanRtt)</c>, with
/// <c>lg = max(1, log10 limit)</c>, <c>α = 3·lg</c> and <c>β = 6·lg</c>.
/// Above β the limit goes to what the server serves at once plus α
/// (<c>limit × minRtt / meanRtt + α</c>), but down by at least <c>lg</c> and at most to limit × <see cref="Backoff"/>;
/// slow start ends. Below β in slow start, and below α after it, the limit grows (doubling in slow start, by
/// <c>lg</c> after it) unless it is not in use (fewer than half of it in flight) or the server's
/// <c>Retry-After</c> has not yet passed. Between α and β it holds.</item>
/// <item>A queue above β is not taken for one when the answers per second rose with the limit (a step of at
/// least <see cref="ScalingGain"/>, and at least that share of it in more answers, as BBR's start-up judges
/// a full pipe): the latency then comes from elsewhere, such as the client's own CPU. The limit grows as if
/// there were no queue and, up to that limit, holds rather than shrinks.</item>
/// </list>
/// <para>
/// The lowest latency is measured afresh every <see cref="RttProbeInterval"/>, so a server that became
/// slower for good is not mistaken for one with a queue forever. A queue the limit itself keeps at
/// the server would hide the floor, so (as BBR's ProbeRTT does) the probe halves the limit until
/// a request sent after the halving has answered, takes its latency as the new floor and restores
/// the limit. Not thread-safe: the owner locks.
/// </para>
/// </remarks>
internal sealed class AdaptiveLimit
{
    /// <summary>The factor applied to the limit after a window with a drop.</summary>
    public const double Backoff = 0.75;

    /// <summary>Below this many requests queued (times <c>lg</c>) the limit grows.</summary>
    public const double Alpha = 3;

    /// <summary>Above this many requests queued (times <c>lg</c>) the limit shrinks.</summary>
    public const double Beta = 6;

    /// <summary>
    /// The share of a limit's growth that the answers per second must follow for a rise in latency not
    /// to count as a queue at the server (BBR's start-up ends when a round brings less than 25 % more).
    /// </summary>
    public const double ScalingGain = 0.25;

    /// <summary>How often the lowest latency is measured afresh.</summary>
    public static readonly TimeSpan RttProbeInterval = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> that holds the limit back.</summary>
    public static readonly TimeSpan MaxHold = TimeSpan.FromMinutes(5);

    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly int _min;
    private readonly int _max;
    private readonly TimeSpan _window;
    private double _limit;
    private TimeSpan? _minRtt;
    private TimeSpan _nextProbe;
    private TimeSpan _lastDecrease = TimeSpan.MinValue;
    private TimeSpan _holdUntil;
    private bool _probing;
    private TimeSpan _probeStart;
    private TimeSpan? _probeMin;
    private double _probeRestore;

    // Throughput check: the answers per second of the last window at another limit, and the highest
    // limit at which more concurrency was seen to still bring more answers.
    private int _baseLimit;
    private double _baseRate;
    private int _scalesTo;
    private int _scalingSeenAt;

    // The open window.
    private TimeSpan _windowStart;
    private int _okSamples;
    private long _okTicks;
    private int _drops;
    private int _maxInFlight;
    private int _windowLimit;
    private TimeSpan _lastMean;
    private int _lateOk;

    /// <summary>Initializes a new instance of the <see cref="AdaptiveLimit"/> class.</summary>
    /// <param name="min">The lowest limit.</param>
    /// <param name="max">The highest limit.</param>
    /// <param name="window">The shortest window a decision is made on.</param>
    /// <param name="timeProvider">The clock.</param>
    public AdaptiveLimit(int min, int max, TimeSpan window, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(min, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        _max = max;
        _window = window;
        _timeProvider = timeProvider;
        _origin = timeProvider.GetTimestamp();
        _limit = min;
        _windowLimit = min;
        _nextProbe = RttProbeInterval;
    }

    /// <summary>Gets the current limit, between the lowest and highest allowed.</summary>
    public int Limit => (int)_limit;

    /// <summary>Gets a value indicating whether the limit still doubles each window (no congestion seen yet).</summary>
    public bool InSlowStart { get; private set; } = true;

    /// <summary>Gets the lowest latency seen since the last probe: the latency without a queue.</summary>
    public TimeSpan? MinRtt => _minRtt;

    /// <summary>Gets a value indicating whether the limit is halved to measure the latency without a queue.</summary>
    public bool IsProbing => _probing;

    /// <summary>
    /// Gets the highest limit at which more concurrency was seen to bring proportionally more answers
    /// although the latency rose (0: none): up to it, a rise in latency is not taken for a queue.
    /// </summary>
    public int ScalesTo => _scalesTo;

    /// <summary>Gets the number of windows decided so far.</summary>
    public int Windows { get; private set; }

    /// <summary>Adds a finished request; closes the window when it is due.</summary>
    /// <param name="sample">The request.</param>
    /// <returns><see langword="true"/> when <see cref="Limit"/> changed.</returns>
    public bool Add(in LimitSample sample)
    {
        var now = _timeProvider.GetElapsedTime(_origin);
        var before = Limit;
        _maxInFlight = Math.Max(_maxInFlight, sample.InFlight);
        if (sample.IsDrop)
        {
            // A request sent before the last decrease was sent under the old, higher limit: the
            // decrease already answered it, and counting it again would cut the limit twice.
            if (now - sample.Latency > _lastDecrease)
            {
                _drops++;
            }

            if (sample.RetryAfter is { } after && after > TimeSpan.Zero)
            {
                var until = now + (after < MaxHold ? after : MaxHold);
                _holdUntil = until > _holdUntil ? until : _holdUntil;
            }
        }
        else
        {
            _okSamples++;
            _okTicks += sample.Latency.Ticks;
            _minRtt = _minRtt is { } min && min <= sample.Latency ? min : sample.Latency;
            if (_probing && now - sample.Latency >= _probeStart)
            {
                _probeMin = _probeMin is { } low && low <= sample.Latency ? low : sample.Latency;
            }
        }

        var length = WindowLength();
        if (!sample.IsDrop && now - _windowStart >= length / 2)
        {
            _lateOk++;
        }

        if (_drops > 0 || (now - _windowStart >= length && !(_probing && _probeMin is null)))
        {
            Decide(now);
        }

        return Limit != before;
    }

    // Two round trips: the lowest latency, and the mean of the last window. When latency is well above its
    // floor (a queue, a busy client) the answers of a new limit come a mean round trip after it, and the
    // second half of the window must hold them for its rate to be this limit's.
    private TimeSpan WindowLength()
    {
        var rtt = _minRtt is { } min && min > _lastMean ? min : _lastMean;
        return 2 * rtt > _window ? 2 * rtt : _window;
    }

    private void Decide(TimeSpan now)
    {
        Windows++;
        var probed = _probing;
        if (probed)
        {
            // A floor that rose for good may have come with a capacity limit: the scaling seen at the
            // old floor proves nothing any more.
            if (_probeMin is { } floor && _minRtt is { } old && floor.Ticks > old.Ticks * (1 + ScalingGain))
            {
                _scalesTo = 0;
            }

            _minRtt = _probeMin ?? _minRtt;
            _limit = _probeRestore;
            _probing = false;
            _nextProbe = now + RttProbeInterval;
        }

        var lg = Math.Max(1, Math.Log10(_limit));
        var used = _maxInFlight * 2 >= _windowLimit;

        // Answers per second in the second half of the window: by then the answers are those of
        // requests sent under this window's limit (a change shows one round trip later).
        var lateFor = (now - _windowStart - (WindowLength() / 2)).TotalSeconds;
        var rate = lateFor > 0 ? _lateOk / lateFor : 0;
        if (_drops > 0)
        {
            _limit *= Backoff;
            _lastDecrease = now;
            _scalesTo = 0;
            _scalingSeenAt = 0;
            InSlowStart = false;
        }
        else if (!probed && _okSamples > 0 && _minRtt is { } minRtt)
        {
            var mean = (double)_okTicks / _okSamples;
            var queue = mean <= 0 ? 0 : _limit * (1 - (minRtt.Ticks / mean));
            if (queue > Beta * lg && used && Scales(rate))
            {
                // Latency rose, but the answers per second rose with the limit: what waits is not a
                // queue at the server (which would cap them) but, say, the client's own busy CPU.
                // Seen twice at this limit (the second window's answers all belong to it, and one noisy
                // window must not double a limit past a server's queue): grow as if there were no
                // queue; up to this limit, such latency is no reason to shrink.
                if (_windowLimit <= _scalesTo || _scalingSeenAt == _windowLimit)
                {
                    _scalesTo = _windowLimit;
                    if (now >= _holdUntil)
                    {
                        _limit = InSlowStart ? _limit * 2 : _limit + lg;
                    }
                }
                else
                {
                    _scalingSeenAt = _windowLimit;
                }
            }
            else if (queue > Beta * lg && _windowLimit <= _scalesTo)
            {
                // Shown to scale at this limit: hold.
            }
            else if (queue > Beta * lg)
            {
                // Straight to the level Little's law points at, not one step a window: an overshoot
                // of slow start is undone at once, and noise cannot cut more than a backoff.
                var target = (_limit * minRtt.Ticks / mean) + (Alpha * lg);
                _limit = Math.Clamp(target, _limit * Backoff, _limit - lg);
                _lastDecrease = now;
                _scalesTo = 0;
                _scalingSeenAt = 0;
                InSlowStart = false;
            }
            else if (queue < (InSlowStart ? Beta : Alpha) * lg)
            {
                // Growing a limit that is not used proves nothing, and a server that asked for a
                // pause gets it.
                if (used && now >= _holdUntil)
                {
                    _limit = InSlowStart ? _limit * 2 : _limit + lg;
                }
            }
        }

        _limit = Math.Clamp(_limit, _min, _max);
        if (!probed && Limit != _windowLimit && _lateOk > 0)
        {
            _baseLimit = _windowLimit;
            _baseRate = rate;
        }

        if (!probed && now >= _nextProbe && _okSamples > 0)
        {
            // Drain the queue this limit keeps at the server, so that the next answers show the floor.
            _probing = true;
            _probeStart = now;
            _probeMin = null;
            _probeRestore = _limit;
            _limit = Math.Max(_min, Math.Floor(_limit / 2));
        }

        _windowStart = now;
        _windowLimit = Limit;
        _lateOk = 0;
        _lastMean = _okSamples > 0 ? TimeSpan.FromTicks(_okTicks / _okSamples) : _lastMean;
        _okSamples = 0;
        _okTicks = 0;
        _drops = 0;
        _maxInFlight = 0;
    }

    // Whether this window's limit, a real step above the last one (at least a quarter), brought at
    // least a quarter of that step's share in more answers per second. A server at its capacity
    // answers no faster however many wait; a latency-only one answers in proportion.
    private bool Scales(double rate)
    {
        if (_baseLimit <= 0 || _baseRate <= 0 || _windowLimit < _baseLimit * (1 + ScalingGain))
        {
            return false;
        }

        var step = ((double)_windowLimit / _baseLimit) - 1;
        return rate >= _baseRate * (1 + (ScalingGain * step));
    }
}
