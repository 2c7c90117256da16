namespace Pipeline.Fetching;

/// <summary>Whether failing hosts are given a rest.</summary>
public enum CircuitBreakerMode
{
    /// <summary>Every URL is tried, however its host has been doing.</summary>
    Off,

    /// <summary>Each host has its own circuit: when too many of its attempts fail, its URLs fail at once for a while.</summary>
    PerHost,
}
