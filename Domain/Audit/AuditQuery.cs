
namespace Synapse.Audit;

/// <summary>
/// A page of events, newest first: every filter is optional; <see cref="From"/> is inclusive and
/// <see cref="To"/> exclusive; <see cref="BeforeId"/> is the keyset cursor (ids below it).
/// </summary>
public sealed record AuditQuery(
    string? KeyId = null,
    string? TeamId = null,
    string? Outcome = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? BeforeId = null,
    int Limit = 100);
