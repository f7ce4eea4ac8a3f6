using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Synapse.Persistence.Alerts;

/// <summary>The outbox in the all-in-one SQLite file: one process, so the claim's UPDATE is atomic without row locks.</summary>
internal sealed class SqliteAlertStore(string connectionString) : DbAlertStore
{
    protected override string ClaimLockClause => "";

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
