using Microsoft.Data.Sqlite;
using Npgsql;
using Synapse.Silo.Storage;

namespace Synapse.Silo.Alerts;

/// <summary>Creates <c>alerts</c> and <c>alert_outbox</c> (embedded from <c>Alerts/Sql/{engine}/</c>). Idempotent; silos run it as they start.</summary>
public static class AlertSchema
{
    private const long PostgresInstallLockKey = 0x53796E416C657274; // "SynAlert"

    public static async Task EnsureCreatedAsync(SynapseDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        var script = Script(database.Engine);
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
        await using var sqliteTransaction = sqlite.BeginTransaction(deferred: false);
        await using (var command = sqlite.CreateCommand())
        {
            command.Transaction = sqliteTransaction;
            command.CommandText = script;
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await sqliteTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static string Script(DatabaseEngine engine)
    {
        var folder = engine == DatabaseEngine.Postgres ? "PostgreSQL" : "Sqlite";
        var name = $"Synapse.Silo.Alerts.Sql.{folder}.01-alerts.sql";
        using var stream = typeof(AlertSchema).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
