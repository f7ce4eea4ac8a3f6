using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// Counts failed admin authentications per client address (the TCP peer, never a header a client
/// could forge) in a fixed window: once an address has used up its failures, every admin
/// authentication it tries gets 429 until the window ends, right credentials included, so a guess
/// is never checked. Built on the BCL's partitioned fixed-window limiter, which drops an address's
/// counter once its window has passed, so memory is bounded by the addresses failing right now.
/// </summary>
public sealed class AdminAuthenticationThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    // One "throttled" audit row per address and window is enough to show the flood.
    private readonly PartitionedRateLimiter<string> _throttledNotices;

    public AdminAuthenticationThrottle(IOptions<AdminSecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var window = TimeSpan.FromSeconds(settings.FailedAuthenticationWindowSeconds);
        _failures = Create(settings.FailedAuthenticationLimit, window);
        _throttledNotices = Create(1, window);
    }

    /// <summary>Whether <paramref name="address"/> must wait; <paramref name="retryAfter"/> says how long.</summary>
    public bool IsThrottled(string address, out TimeSpan retryAfter)
    {
        // Asking for zero permits reads the window's state without using it up.
        using var lease = _failures.AttemptAcquire(address, 0);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return !lease.IsAcquired;
    }

    /// <summary>Counts one failure of <paramref name="address"/>.</summary>
    public void RecordFailure(string address)
    {
        using var lease = _failures.AttemptAcquire(address);
    }

    /// <summary>True for the first throttled attempt of an address in a window (the one worth an audit row).</summary>
    public bool ShouldReportThrottled(string address)
    {
        using var lease = _throttledNotices.AttemptAcquire(address);
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _failures.Dispose();
        _throttledNotices.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(int limit, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(address => RateLimitPartition.GetFixedWindowLimiter(address, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }), StringComparer.Ordinal);
}
