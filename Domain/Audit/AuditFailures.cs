
namespace Synapse.Audit;

/// <summary>The failure code of a request refused because the audit log could not record it.</summary>
public static class AuditFailures
{
    public const string Unavailable = "audit_unavailable";
}
