using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// A fixed window of failed authentications per source (<see cref="ClientAddress.SourceOf"/>),
/// on the BCL's partitioned rate limiter. Only failures take a permit: a valid key is never
/// counted or refused here, so one misbehaving client behind a shared address (NAT, a proxy)
/// cannot lock out its neighbours. Partitions idle for a window are dropped by the limiter, and
/// the sources are capped by <see cref="FailedAuthenticationTally"/>, so memory stays bounded.
/// </summary>
internal sealed class FailedAuthenticationThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string>? _limiter;
    private readonly TimeSpan _window;

    public FailedAuthenticationThrottle(IOptions<KeyAuthenticationOptions> options)
    {
        var settings = options.Value;
        _window = settings.FailureWindow;
        if (settings.FailureLimit > 0)
        {
            _limiter = PartitionedRateLimiter.Create<string, string>(source => RateLimitPartition.GetFixedWindowLimiter(source, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = settings.FailureLimit,
                Window = settings.FailureWindow,
                QueueLimit = 0,
            }));
        }
    }

    /// <summary>Null when this failure is still within the source's allowance; else how long until the window resets.</summary>
    public TimeSpan? TryPass(string source)
    {
        if (_limiter is null)
        {
            return null;
        }

        using var lease = _limiter.AttemptAcquire(source);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : _window;
    }

    public void Dispose() => _limiter?.Dispose();
}
