using System.Data.Common;
using Npgsql;

namespace Synapse.Persistence.Alerts;

/// <summary>
/// The outbox in PostgreSQL, shared by a cluster's silos. Connections come from Npgsql's pool for
/// the connection string, so creating a store is cheap (the admin API may make one per request).
/// </summary>
internal sealed class PostgresAlertStore(string connectionString) : DbAlertStore
{
    protected override string ClaimLockClause => " FOR UPDATE SKIP LOCKED";

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
