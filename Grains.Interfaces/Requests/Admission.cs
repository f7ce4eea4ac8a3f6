using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Grains.Interfaces.Requests;

/// <summary>
/// The key grain's verdict: a refusal with a client-safe message, or the provider call to make.
/// A refusal carries the audit event that records it; the front end appends it before answering.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.Admission")]
public sealed record Admission(
    [property: Id(0)] AdmissionOutcome Outcome,
    [property: Id(1)] string? Message,
    [property: Id(2)] string? Param,
    [property: Id(3)] ProviderCall? Call,
    [property: Id(4)] IReadOnlyList<string>? Models,
    [property: Id(5)] RateLimitSnapshot? RateLimits = null,
    [property: Id(6)] TimeSpan? RetryAfter = null,
    [property: Id(7)] AuditRecord? Audit = null)
{
    public static Admission Refuse(AdmissionOutcome outcome, string message, string? param = null) =>
        new(outcome, message, param, null, null);
}
