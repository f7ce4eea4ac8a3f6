using Polly;
using Polly.CircuitBreaker;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Providers;

namespace Synapse.Routing;

/// <summary>Which providers a call may go to, in order, and which failures move it to the next one.</summary>
public static class Failover
{
    public const string UpstreamUnavailable = "upstream_unavailable";

    /// <summary>
    /// The call's route, re-checked against the catalog: a provider must serve the model and,
    /// for a sensitive key, be on-prem. The key grain already guarantees both; checking again
    /// here means no bug upstream of this line can send sensitive data to a cloud provider.
    /// </summary>
    public static IEnumerable<ProviderRoute> Candidates(ProviderCall call, ProviderCatalog catalog)
    {
        foreach (var name in call.Route)
        {
            if (catalog.Find(name) is not { } route || !route.Serves(call.Model))
            {
                continue;
            }

            if (call.Classification == DataClassification.Sensitive && route.Location != ProviderLocation.OnPrem)
            {
                continue;
            }

            yield return route;
        }
    }

    /// <summary>
    /// Provider-side failures (outages, timeouts, a provider's own rate limit) move on to the next
    /// provider. A request that is wrong — one the protocol cannot express, one the provider refused
    /// as invalid, one too long for the model — does not: the next provider would refuse it too,
    /// and each attempt is billed.
    /// </summary>
    public static bool MayTryNext(ProviderFailure failure) =>
        failure.Code is not (UpstreamFailures.InvalidRequest or UpstreamFailures.ProviderInvalidRequest or UpstreamFailures.ContextTooLong);

    /// <summary>
    /// The failure a call answers with when every provider failed: a provider's own rate limit is
    /// kept over a later provider's outage, since it is the one the client can act on (429 with
    /// that provider's <c>Retry-After</c>, rather than a 502 that says nothing of when to retry).
    /// </summary>
    public static ProviderFailure Answering(ProviderFailure kept, ProviderFailure latest) =>
        kept.Status == 429 && latest.Status is null ? kept : latest;

    /// <summary>
    /// Polly refusing a call (open circuit, first-byte timeout after the last retry) as a failure,
    /// in words that name no provider (<see cref="UpstreamFailures"/>). An open circuit says when
    /// it lets a trial call through: the rest of its break is the client's <c>Retry-After</c>.
    /// </summary>
    public static ProviderFailure Rejected(ExecutionRejectedException rejection) => rejection is BrokenCircuitException broken
        ? new ProviderFailure(UpstreamUnavailable, "The provider is failing and has been taken out of rotation for a moment.") { RetryAfter = broken.RetryAfter }
        : new ProviderFailure(UpstreamFailures.UpstreamTimeout, "The provider did not start answering in time.");

    public static ProviderFailure NoCandidate { get; } =
        new(UpstreamUnavailable, "No provider that this key may use is configured for it.");
}
