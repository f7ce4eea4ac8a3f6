using Synapse.Gateway.Security;
using Synapse.Keys;
using Synapse.Telemetry;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Answers a request whose key failed before any grain was involved: 401 with the one
/// byte-identical body, or — once its source has failed more than
/// <see cref="KeyAuthenticationOptions.FailureLimit"/> times in the window — 429 with
/// <c>Retry-After</c>. The key is checked before the throttle, so a valid key from a throttled
/// address still works: addresses are shared (NAT, proxies, a cluster's egress), and one broken
/// client must not lock out the others. The failure is counted into its source's audit row.
/// </summary>
public sealed class KeyRefusal
{
    public static readonly OpenAiError TooManyFailures = new(
        StatusCodes.Status429TooManyRequests,
        "Too many failed authentications from this address; retry after the time in the Retry-After header with a valid key.",
        "requests",
        "too_many_failed_authentications");

    private readonly FailedAuthenticationTally _tally;
    private readonly FailedAuthenticationThrottle _throttle;

    internal KeyRefusal(FailedAuthenticationTally tally, FailedAuthenticationThrottle throttle)
    {
        _tally = tally;
        _throttle = throttle;
    }

    /// <param name="write">Writes the error in the client API's shape; OpenAI's when null.</param>
    public async Task WriteAsync(HttpContext context, string? secret, Func<HttpResponse, OpenAiError, Task>? write = null)
    {
        write ??= static (response, error) => error.WriteAsync(response);
        var reason = secret is null ? FailureReason.Missing : ApiKeySecrets.IsWellFormed(secret) ? FailureReason.Unknown : FailureReason.Malformed;
        var source = _tally.Admit(ClientAddress.SourceOf(context));
        var retryAfter = _throttle.TryPass(source);
        _tally.Count(source, reason, throttled: retryAfter is not null);
        if (retryAfter is { } wait)
        {
            RateLimitHeaders.Write(context.Response, snapshot: null, wait);
            GatewayMetrics.AuthenticationFailed(TooManyFailures.Status);
            await write(context.Response, TooManyFailures);
            return;
        }

        GatewayMetrics.AuthenticationFailed(OpenAiError.InvalidApiKey.Status);
        await write(context.Response, OpenAiError.InvalidApiKey);
    }
}
