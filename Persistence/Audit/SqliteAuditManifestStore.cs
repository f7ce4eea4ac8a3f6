using System.Data.Common;
using Microsoft.Data.Sqlite;
using Synapse.Audit;

namespace Synapse.Persistence.Audit;

/// <summary><c>audit_manifest</c> in the all-in-one SQLite file: an append is one IMMEDIATE transaction (the file's write lock) around reading the newest record and inserting the next.</summary>
internal sealed class SqliteAuditManifestStore(string connectionString) : DbAuditManifestStore
{
    public override async Task<AuditManifestRecord> AppendAsync(Func<AuditManifestRecord?, AuditManifestRecord> next, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(next);
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = connection.BeginTransaction(deferred: false);
        var record = next(await LastAsync(connection, transaction, cancellationToken).ConfigureAwait(false));
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = InsertSql;
        Bind(insert, record);
        await insert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return record;
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }
}
