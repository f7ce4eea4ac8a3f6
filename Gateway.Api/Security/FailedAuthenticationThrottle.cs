using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// A fixed window of failed authentications per source (<see cref="ClientAddress.SourceOf"/>).
/// Only failures take a permit: a valid key is never counted or refused here, so one misbehaving
/// client behind a shared address (NAT, a proxy) cannot lock out its neighbours. A source's window
/// is dropped once it has passed (<see cref="FixedWindowCounters"/>), and the sources are capped by
/// <see cref="FailedAuthenticationTally"/>, so memory stays bounded.
/// </summary>
internal sealed class FailedAuthenticationThrottle
{
    private readonly FixedWindowCounters? _failures;

    public FailedAuthenticationThrottle(IOptions<KeyAuthenticationOptions> options, TimeProvider time)
    {
        var settings = options.Value;
        if (settings.FailureLimit > 0)
        {
            _failures = new FixedWindowCounters(settings.FailureLimit, settings.FailureWindow, time);
        }
    }

    /// <summary>Null when this failure is still within the source's allowance; else how long until the window resets.</summary>
    public TimeSpan? TryPass(string source) =>
        _failures is null || _failures.TryTake(source, out var retryAfter) ? null : retryAfter;
}
