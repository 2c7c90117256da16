using Pipeline.Fetching;

namespace Pipeline.Concurrency;

/// <summary>
/// The adaptive concurrency of one run: an <see cref="AdaptiveLimit"/> and a gate per host, and a
/// gate for the consumers whose limit is the sum of the limits of the hosts in use.
/// </summary>
/// <remarks>
/// Per host, because servers differ: a slow host shrinks its own limit and no other. The consumers'
/// limit is the sum, so one slow host does not hold back the others, and a run with one host has
/// exactly that host's limit. A host counts towards the sum while it has requests in flight or
/// waiting, and for <see cref="HostIdle"/> after its last one.
/// </remarks>
internal sealed class AdaptiveConcurrency
{
    /// <summary>How long a host counts towards the consumers' limit after its last request.</summary>
    public static readonly TimeSpan HostIdle = TimeSpan.FromSeconds(2);

    /// <summary>How long an idle host's limit is remembered.</summary>
    public static readonly TimeSpan HostForget = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, HostState> _hosts = new(StringComparer.OrdinalIgnoreCase);
    private readonly AdaptiveOptions _options;
    private readonly int _hostMax;
    private readonly TimeProvider _timeProvider;
    private readonly long _origin;
    private readonly LimitHistory _history;
    private readonly Action<int>? _changed;
    private TimeSpan _nextSweep;

    /// <summary>Initializes a new instance of the <see cref="AdaptiveConcurrency"/> class.</summary>
    /// <param name="options">The bounds.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="changed">Told each new consumers' limit (progress, gauges), or <see langword="null"/>.</param>
    public AdaptiveConcurrency(AdaptiveOptions options, TimeProvider timeProvider, Action<int>? changed = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _hostMax = options.PerHostCeiling > 0 ? Math.Clamp(options.PerHostCeiling, options.Min, options.Max) : options.Max;
        _timeProvider = timeProvider;
        _origin = timeProvider.GetTimestamp();
        _history = new LimitHistory(options.Min);
        _changed = changed;
        Consumers = new LimitGate(options.Min);
        _changed?.Invoke(options.Min);
    }

    /// <summary>Gets the gate each consumer passes before it takes an item: its limit is the number of active consumers.</summary>
    public LimitGate Consumers { get; }

    /// <summary>Gets the number of active consumers allowed now.</summary>
    public int Limit => Consumers.Limit;

    /// <summary>Gets the highest number of consumers this run may need.</summary>
    public int MaxConsumers => _options.Max;

    /// <summary>Waits until the host of <paramref name="url"/> takes one more request.</summary>
    /// <param name="url">The URL about to be fetched.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The host, to hand to <see cref="Complete"/> when the fetch is done.</returns>
    public async ValueTask<HostState> AcquireAsync(Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        HostState host;
        lock (_lock)
        {
            var now = Now;
            if (!_hosts.TryGetValue(url.IdnHost, out var known))
            {
                known = new HostState(url.IdnHost, new AdaptiveLimit(_options.Min, _hostMax, _options.Window, _timeProvider));
                _hosts.Add(known.Host, known);
                known.LastUsed = now;
                Recompute(now);
            }
            else if (!known.IsBusy && now - known.LastUsed >= HostIdle)
            {
                // Back after a pause: it counts again.
                known.LastUsed = now;
                Recompute(now);
            }

            host = known;
        }

        await host.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return host;
    }

    /// <summary>Gives the host's permit back and learns from the result.</summary>
    /// <param name="host">The host from <see cref="AcquireAsync"/>.</param>
    /// <param name="result">What the fetch came to.</param>
    public void Complete(HostState host, FetchResult result)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            var now = Now;
            host.LastUsed = now;
            var changed = false;
            if (AdaptiveSamples.From(result, host.Gate.InUse) is { } sample)
            {
                host.Drops += sample.IsDrop ? 1 : 0;
                if (host.Limit.Add(sample))
                {
                    host.Gate.SetLimit(host.Limit.Limit);
                    changed = true;
                }
            }

            if (changed || now >= _nextSweep)
            {
                Recompute(now);
            }
        }

        host.Gate.Release();
    }

    /// <summary>Gives the host's permit back without a result (the fetch was cancelled).</summary>
    /// <param name="host">The host from <see cref="AcquireAsync"/>.</param>
    public void Abandon(HostState host)
    {
        ArgumentNullException.ThrowIfNull(host);
        lock (_lock)
        {
            host.LastUsed = Now;
        }

        host.Gate.Release();
    }

    /// <summary>What the limit did so far.</summary>
    /// <returns>The summary.</returns>
    public AdaptiveSummary Summarize()
    {
        lock (_lock)
        {
            return new AdaptiveSummary
            {
                Min = _history.Min,
                Max = _history.Max,
                Final = _history.Final,
                Mean = _history.Mean(Now),
                Changes = _history.Changes,
                Bounds = (_options.Min, _options.Max),
                Hosts = [.. _hosts.Values
                    .Select(h => new HostLimit(h.Host, h.Limit.Limit, h.Limit.MinRtt, h.Drops))
                    .OrderByDescending(h => h.Limit)
                    .ThenBy(h => h.Host, StringComparer.Ordinal)],
                Points = [.. _history.Points],
            };
        }
    }

    private TimeSpan Now => _timeProvider.GetElapsedTime(_origin);

    private void Recompute(TimeSpan now)
    {
        long sum = 0;
        List<string>? forget = null;
        foreach (var host in _hosts.Values)
        {
            var idle = now - host.LastUsed;
            if (host.IsBusy || idle < HostIdle)
            {
                sum += host.Limit.Limit;
            }
            else if (idle >= HostForget)
            {
                (forget ??= []).Add(host.Host);
            }
        }

        foreach (var name in forget ?? [])
        {
            _hosts.Remove(name);
        }

        // With no host in use the last limit stands: the next item decides.
        var limit = sum == 0 ? Consumers.Limit : (int)Math.Clamp(sum, _options.Min, _options.Max);
        _nextSweep = now + _options.Window;
        if (limit != Consumers.Limit)
        {
            Consumers.SetLimit(limit);
            _history.Set(now, limit);
            _changed?.Invoke(limit);
        }
    }
}
