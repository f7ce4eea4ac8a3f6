using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// Sign-in and setup attempts per client address and minute, right or wrong
/// (<see cref="AdminSecurityOptions.SignInsPerMinute"/>), enforced by <see cref="SignInThrottleFilter"/>.
/// </summary>
internal sealed class SignInThrottle(IOptions<AdminSecurityOptions> options, TimeProvider time)
{
    private readonly FixedWindowCounters _attempts = new(options.Value.SignInsPerMinute, TimeSpan.FromMinutes(1), time);

    /// <summary>Counts one attempt of <paramref name="address"/>; false, with how long to wait, when it has none left.</summary>
    public bool TryAttempt(string address, out TimeSpan retryAfter) => _attempts.TryTake(address, out retryAfter);
}
