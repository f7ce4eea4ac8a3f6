using Microsoft.Data.Sqlite;
using Npgsql;
using Synapse.Silo.Storage;

namespace Synapse.Silo.Audit;

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
        if (database.Engine == DatabaseEngine.Postgres)
        {
            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
            {
                command.Parameters.AddWithValue("key", PostgresInstallLockKey);
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (var command = new NpgsqlCommand(script, connection, transaction))
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await using var sqlite = new SqliteConnection(database.ConnectionString);
        await sqlite.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = sqlite.CreateCommand())
        {
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await using var sqliteTransaction = sqlite.BeginTransaction(deferred: false);
        await using (var command = sqlite.CreateCommand())
        {
            command.Transaction = sqliteTransaction;
            command.CommandText = script;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await sqliteTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }
}
