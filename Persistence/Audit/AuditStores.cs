using Microsoft.Extensions.Configuration;
using Npgsql;
using Synapse.Audit;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>Creates the audit store for a database.</summary>
public static class AuditStores
{
    /// <summary>
    /// An optional separate login for audit writes (<c>ConnectionStrings:PostgresAudit</c>): a role
    /// granted <c>synapse_audit_writer</c>. Without it the audit store uses <c>ConnectionStrings:Postgres</c>;
    /// either way every write runs under <c>SET LOCAL ROLE synapse_audit_writer</c>.
    /// </summary>
    public const string PostgresAuditConnectionStringName = "PostgresAudit";

    public static IAuditStore Create(SynapseDatabase database, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Engine == DatabaseEngine.Sqlite)
        {
            return new SqliteAuditStore(database.ConnectionString);
        }

        return new PostgresAuditStore(NpgsqlDataSource.Create(AuditConnectionString(database, configuration)));
    }

    /// <summary>The database copy of the signed manifest, on the same database and login as <see cref="Create"/>.</summary>
    public static IAuditManifestStore CreateManifestStore(SynapseDatabase database, IConfiguration? configuration = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Engine == DatabaseEngine.Sqlite
            ? new SqliteAuditManifestStore(database.ConnectionString)
            : new PostgresAuditManifestStore(NpgsqlDataSource.Create(AuditConnectionString(database, configuration)));
    }

    private static string AuditConnectionString(SynapseDatabase database, IConfiguration? configuration) =>
        configuration?.GetConnectionString(PostgresAuditConnectionStringName) is { Length: > 0 } audit ? audit : database.ConnectionString;
}
