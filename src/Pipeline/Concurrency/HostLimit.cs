namespace Pipeline.Concurrency;

/// <summary>One host's adaptive limit at the end of a run.</summary>
/// <param name="Host">The host name.</param>
/// <param name="Limit">The limit.</param>
/// <param name="MinRtt">The lowest latency seen (the latency without a queue), if any answer came.</param>
/// <param name="Drops">Requests that came back as a drop: 429, 503/504, timeout, connection error, retried.</param>
public readonly record struct HostLimit(string Host, int Limit, TimeSpan? MinRtt, long Drops);
