using System.Threading.RateLimiting;

namespace Pipeline.Fetching;

/// <summary>Per-host permits: at most N requests in flight and at most M requests per period, each host on its own.</summary>
/// <remarks>
/// Waiters queue oldest first without a bound: the work channel already bounds how many consumers
/// can wait, and a refused permit would only turn politeness into failures.
/// </remarks>
internal sealed class HostLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly List<PartitionedRateLimiter<string>> _parts = [];

    public HostLimiter(int maxConcurrency, int rateLimit, TimeSpan ratePeriod)
    {
        if (maxConcurrency > 0)
        {
            _parts.Add(PartitionedRateLimiter.Create<string, string>(host => RateLimitPartition.GetConcurrencyLimiter(host, _ => new ConcurrencyLimiterOptions
            {
                PermitLimit = maxConcurrency,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })));
        }

        if (rateLimit > 0)
        {
            _parts.Add(PartitionedRateLimiter.Create<string, string>(host => RateLimitPartition.GetTokenBucketLimiter(host, _ => new TokenBucketRateLimiterOptions
            {
                TokenLimit = rateLimit,
                TokensPerPeriod = rateLimit,
                ReplenishmentPeriod = ratePeriod,
                AutoReplenishment = true,
                QueueLimit = int.MaxValue,
                QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            })));
        }

        _limiter = _parts.Count switch
        {
            0 => null,
            1 => _parts[0],
            _ => PartitionedRateLimiter.CreateChained([.. _parts]),
        };
    }

    public static HostLimiter From(HttpFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HostLimiter(options.MaxConcurrencyPerHost, options.RateLimitPerHost, options.RateLimitPeriod);
    }

    /// <summary>Waits for a permit for the host.</summary>
    /// <returns>The lease to dispose when the request is done, or <see langword="null"/> when nothing is limited.</returns>
    public async ValueTask<RateLimitLease?> AcquireAsync(string host, CancellationToken cancellationToken)
    {
        if (_limiter is null)
        {
            return null;
        }

        var lease = await _limiter.AcquireAsync(host, 1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            // Only when the limiter is disposed under a waiter, i.e. the host is shutting down.
            lease.Dispose();
            throw new OperationCanceledException("The host limiter was disposed.");
        }

        return lease;
    }

    public void Dispose()
    {
        // A chained limiter leaves its parts to their owner.
        if (_parts.Count > 1)
        {
            _limiter?.Dispose();
        }

        foreach (var part in _parts)
        {
            part.Dispose();
        }
    }
}
