namespace Pipeline.Concurrency;

/// <summary>One host's limit, its gate and when it was last used; guarded by the owning <see cref="AdaptiveConcurrency"/>.</summary>
internal sealed class HostState(string host, AdaptiveLimit limit)
{
    public string Host { get; } = host;

    public AdaptiveLimit Limit { get; } = limit;

    public LimitGate Gate { get; } = new(limit.Limit);

    public TimeSpan LastUsed { get; set; }

    public long Drops { get; set; }

    public bool IsBusy => Gate.InUse > 0 || Gate.Waiting > 0;
}
