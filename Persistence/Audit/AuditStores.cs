using Npgsql;
using Synapse.Audit;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>Creates the audit store for a database.</summary>
public static class AuditStores
{
    /// <summary>The store on <see cref="SynapseDatabase.AuditConnectionString"/> (<c>ConnectionStrings:PostgresAudit</c>, else the database's own login).</summary>
    public static IAuditStore Create(SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.Engine == DatabaseEngine.Sqlite)
        {
            return new SqliteAuditStore(database.ConnectionString);
        }

        return new PostgresAuditStore(NpgsqlDataSource.Create(database.AuditConnectionString));
    }

    /// <summary>The database copy of the signed manifest, on the same database and login as <see cref="Create"/>.</summary>
    public static IAuditManifestStore CreateManifestStore(SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Engine == DatabaseEngine.Sqlite
            ? new SqliteAuditManifestStore(database.ConnectionString)
            : new PostgresAuditManifestStore(NpgsqlDataSource.Create(database.AuditConnectionString));
    }
}
