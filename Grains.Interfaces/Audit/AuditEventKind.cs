namespace Synapse.Grains.Interfaces.Audit;

/// <summary>What an audit event records. Stored as the lower-case name (<c>request</c>, …).</summary>
[GenerateSerializer, Alias("synapse.AuditEventKind")]
public enum AuditEventKind
{
    /// <summary>An admitted request, written (and durable) before the provider is called.</summary>
    Request = 0,

    /// <summary>How an admitted request ended: delivered, stream ended or broke, upstream failed.</summary>
    Completion = 1,

    /// <summary>A request refused before any provider was called; the only event of that request.</summary>
    Rejection = 2,

    /// <summary>An administrative change (team, key, policy), with actor, action and target.</summary>
    Admin = 3,
}
