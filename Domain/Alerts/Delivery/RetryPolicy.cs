
namespace Synapse.Alerts.Delivery;

/// <summary>
/// Exponential backoff with "equal jitter": after attempt n the next waits between half and all of
/// min(RetryMaxDelay, RetryBaseDelay × 2^(n-1)), so retries spread out but never come back at once.
/// </summary>
public static class RetryPolicy
{
    /// <param name="attempts">Attempts made so far (at least 1).</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int attempts, AlertOptions options, double random)
    {
        ArgumentNullException.ThrowIfNull(options);
        var exponent = Math.Clamp(attempts - 1, 0, 30);
        var ceiling = Math.Min(options.RetryMaxDelay.Ticks, options.RetryBaseDelay.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)((ceiling / 2) + (ceiling / 2 * Math.Clamp(random, 0, 1))));
    }
}
