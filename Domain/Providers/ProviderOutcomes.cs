using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Timeout;

namespace Synapse.Providers;

/// <summary>
/// What one attempt's outcome says, for the retry and the circuit breaker of
/// <see cref="ProviderHttpClients"/>. A provider answers two kinds of failure: about itself (it is
/// down, overloaded, unreachable, too slow) and about the request or the key that sent it (its rate
/// limit, an invalid or too long prompt). Only the first kind may take the provider out of rotation
/// for every key; the library's defaults count 429 as the first kind.
/// </summary>
public static class ProviderOutcomes
{
    /// <summary>
    /// The provider is unwell: no connection, no answer in time, or a 500, 502, 503 or 504. Any other
    /// status is the provider answering, even when its answer is a refusal.
    /// </summary>
    public static bool IsOutage(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result.StatusCode: HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout } => true,
        _ => false,
    };

    /// <summary>
    /// Worth another attempt: a transient failure (the library's: connection errors, timeouts, 408,
    /// 5xx) unless the provider asked for a longer wait than <paramref name="maxWait"/>, and a 429
    /// only when the provider said when to come back and that is within <paramref name="maxWait"/>.
    /// A 429 without a wait is passed on: retrying a rate limit blind adds to it, and the client
    /// (or the next provider in the route) can act on it.
    /// </summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxWait)
    {
        var wait = outcome.Result is { } response ? RetryAfter(response) : null;
        return outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests
            ? wait <= maxWait
            : HttpClientResiliencePredicates.IsTransient(outcome) && !(wait > maxWait);
    }

    /// <summary>The retry's delay: the provider's own wait when it gave one (already within the bound, see <see cref="ShouldRetry"/>), else null for the backoff.</summary>
    public static TimeSpan? RetryDelay(Outcome<HttpResponseMessage> outcome) =>
        outcome.Result is { } response ? RetryAfter(response) : null;

    /// <summary>The provider's <c>Retry-After</c> (seconds or a date), or OpenAI's <c>retry-after-ms</c>.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms) && ms >= 0)
        {
            return TimeSpan.FromMilliseconds(Math.Min(ms, 86_400_000));
        }

        return response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => TimeSpan.FromTicks(Math.Max(0, (date - DateTimeOffset.UtcNow).Ticks)),
            _ => null,
        };
    }
}
