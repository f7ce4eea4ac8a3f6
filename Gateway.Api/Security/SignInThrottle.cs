using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// Sign-in and setup attempts per client address and minute, right or wrong
/// (<see cref="AdminSecurityOptions.SignInsPerMinute"/>), enforced by <see cref="SignInThrottleFilter"/>.
/// A singleton of its own because the counts must outlive a request: a group's endpoint filter is
/// constructed for every request it runs in.
/// </summary>
internal sealed class SignInThrottle(IOptions<AdminSecurityOptions> options, TimeProvider time)
{
    private readonly FixedWindowCounters _attempts = new(options.Value.SignInsPerMinute, TimeSpan.FromMinutes(1), time);

    /// <summary>Counts one attempt of <paramref name="address"/>; false, with how long to wait, when it has none left.</summary>
    public bool TryAttempt(string address, out TimeSpan retryAfter) => _attempts.TryTake(address, out retryAfter);
}
