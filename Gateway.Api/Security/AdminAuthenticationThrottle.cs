using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// Counts failed admin authentications per client address (the TCP peer, never a header a client
/// could forge) in a fixed window. Only failures are counted, and only after the credential was
/// checked: past the allowance a wrong credential is answered 429 and stands in one audit row per
/// window, but the right one is never refused here. A throttle that refused the right credential
/// would let anyone who can fail ten times lock the operator out — behind a reverse proxy without
/// forwarded headers, every client shares one address. Guessing is stopped by the credentials
/// themselves (a strong admin token, <see cref="AdminTokenStrength"/>; the per-account lockout of
/// passwords). An address's counter is dropped once its window has passed
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

    /// <summary>Whether <paramref name="source"/> is past its allowance, without counting; <paramref name="retryAfter"/> says how long.</summary>
    public bool IsThrottled(string source, out TimeSpan retryAfter) => _failures.IsExhausted(source, out retryAfter);

    /// <summary>
    /// Counts one failure of <paramref name="address"/>; false, with how long until its window
    /// ends, when the address was already past its allowance.
    /// </summary>
    public bool TryRecordFailure(string address, out TimeSpan retryAfter) => _failures.TryTake(address, out retryAfter);

    /// <summary>True for the first throttled attempt of an address in a window (the one worth an audit row).</summary>
    public bool ShouldReportThrottled(string address) => _throttledNotices.TryTake(address, out _);
}
