using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// Counts failed admin authentications per client address (the TCP peer, never a header a client
/// could forge) in a fixed window: once an address has used up its failures, every admin
/// authentication it tries gets 429 until the window ends, right credentials included, so a guess
/// is never checked. An address's counter is dropped once its window has passed
/// (<see cref="FixedWindowCounters"/>), so memory is bounded by the addresses failing right now.
/// </summary>
public sealed class AdminAuthenticationThrottle
{
    private readonly FixedWindowCounters _failures;

    // One "throttled" audit row per address and window is enough to show the flood.
    private readonly FixedWindowCounters _throttledNotices;

    public AdminAuthenticationThrottle(IOptions<AdminSecurityOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        var window = TimeSpan.FromSeconds(settings.FailedAuthenticationWindowSeconds);
        _failures = new FixedWindowCounters(settings.FailedAuthenticationLimit, window, time);
        _throttledNotices = new FixedWindowCounters(1, window, time);
    }

    /// <summary>Whether <paramref name="address"/> must wait; <paramref name="retryAfter"/> says how long.</summary>
    public bool IsThrottled(string address, out TimeSpan retryAfter) => _failures.IsExhausted(address, out retryAfter);

    /// <summary>Counts one failure of <paramref name="address"/>.</summary>
    public void RecordFailure(string address) => _failures.TryTake(address, out _);

    /// <summary>True for the first throttled attempt of an address in a window (the one worth an audit row).</summary>
    public bool ShouldReportThrottled(string address) => _throttledNotices.TryTake(address, out _);
}
