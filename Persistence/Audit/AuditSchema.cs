namespace Synapse.Persistence.Audit;

/// <summary>
/// Names from the audit module of the schema (<c>Schema/Sql/{engine}/10-audit-events.sql</c>):
/// the <c>audit_events</c> table, its append-only triggers and (PostgreSQL) the writer role.
/// </summary>
public static class AuditSchema
{
    /// <summary>The role audit writes run as: INSERT and SELECT on <c>audit_events</c>, nothing else.</summary>
    public const string WriterRole = "synapse_audit_writer";
}
