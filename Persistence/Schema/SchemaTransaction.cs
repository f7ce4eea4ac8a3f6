using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Schema;

/// <summary>
/// The one way a schema is installed, for every part that owns tables (Orleans, audit, alerts):
/// one transaction per installation; on PostgreSQL under an advisory lock, because
/// <c>CREATE … IF NOT EXISTS</c> is not safe against a concurrent create of the same object;
/// on SQLite in write-ahead-log mode with the write lock taken up front, which serialises two
/// processes installing into the same file.
/// </summary>
internal static class SchemaTransaction
{
    public static async Task RunAsync(
        SynapseDatabase database, long postgresLockKey, Func<DbConnection, DbTransaction, Task> install, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        await using var connection = database.CreateConnection();
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        if (connection is SqliteConnection sqlite)
        {
            // Lets readers proceed while a grain writes; stored in the file, so every later
            // connection gets it. It cannot change inside a transaction.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", cancellationToken).ConfigureAwait(false);
            await using var exclusive = sqlite.BeginTransaction(deferred: false);
            await CompleteAsync(connection, exclusive, install, cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", (NpgsqlConnection)connection, (NpgsqlTransaction)transaction))
        {
            command.Parameters.AddWithValue("key", postgresLockKey);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await CompleteAsync(connection, transaction, install, cancellationToken).ConfigureAwait(false);
    }

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task CompleteAsync(
        DbConnection connection, DbTransaction transaction, Func<DbConnection, DbTransaction, Task> install, CancellationToken cancellationToken)
    {
        await install(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
