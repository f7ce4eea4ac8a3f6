using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>
/// Creates the <c>audit_events</c> table, its append-only triggers and (PostgreSQL) the
/// <c>synapse_audit_writer</c> role. Idempotent; run as the database owner. Silos run it as they
/// start (see <see cref="AuditWriterLifecycle"/>); installers may call it too.
/// </summary>
public static class AuditSchema
{
    /// <summary>The role audit writes run as: INSERT and SELECT on <c>audit_events</c>, nothing else.</summary>
    public const string WriterRole = "synapse_audit_writer";

    private const long PostgresInstallLockKey = 0x53796E4175646974; // "SynAudit"

    public static async Task EnsureCreatedAsync(SynapseDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var script = AuditSql.Schema(database.Engine);
        await SchemaTransaction.RunAsync(
            database,
            PostgresInstallLockKey,
            (connection, transaction) => SchemaTransaction.ExecuteAsync(connection, transaction, script, cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }
}
