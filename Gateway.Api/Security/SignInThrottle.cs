using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// Sign-in attempts per client address and user name and minute, right or wrong
/// (<see cref="AdminSecurityOptions.SignInsPerMinute"/>): each costs a PBKDF2 hash, and past the
/// limit an attempt is refused before its password is looked at. Keyed by the name too, so a flood
/// under other names from the same address (every client behind a proxy without forwarded
/// headers) cannot hold an account's own sign-in shut; flooding one known name only does what its
/// per-account lockout already allows. A singleton because the counts must outlive a request.
/// </summary>
internal sealed class SignInThrottle(IOptions<AdminSecurityOptions> options, TimeProvider time)
{
    private readonly FixedWindowCounters _attempts = new(options.Value.SignInsPerMinute, TimeSpan.FromMinutes(1), time);

    /// <summary>
    /// Counts one attempt of <paramref name="address"/> at <paramref name="username"/> (normalized;
    /// empty for a request without an acceptable name); false, with how long to wait, when none is left.
    /// </summary>
    public bool TryAttempt(string address, string username, out TimeSpan retryAfter) =>
        _attempts.TryTake(address + "\n" + username, out retryAfter);
}
