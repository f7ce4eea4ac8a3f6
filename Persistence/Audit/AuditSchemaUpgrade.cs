using System.Data.Common;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Audit;

/// <summary>
/// Brings an <c>audit_events</c> table created by the first release up to the current columns:
/// <c>CREATE TABLE IF NOT EXISTS</c> leaves an existing table as it was, and SQLite has no
/// <c>ADD COLUMN IF NOT EXISTS</c>, so the missing columns are found and added here, inside the
/// installer's transaction. Existing rows get NULL, which is what the first release's rule
/// requires of them (docs/audit.md, Upgrading from the first release).
/// </summary>
internal static class AuditSchemaUpgrade
{
    private static readonly (string Name, string Postgres, string Sqlite)[] AddedColumns =
    [
        ("api", "text", "TEXT"),
        ("client_address", "text", "TEXT"),
        ("user_agent", "text", "TEXT"),
        ("detail", "text", "TEXT"),
        ("event_count", "integer", "INTEGER"),
    ];

    public static async Task AddMissingColumnsAsync(DbConnection connection, DbTransaction transaction, DatabaseEngine engine, CancellationToken cancellationToken)
    {
        var existing = await ColumnsAsync(connection, transaction, engine, cancellationToken).ConfigureAwait(false);
        foreach (var (name, postgres, sqlite) in AddedColumns.Where(c => !existing.Contains(c.Name)))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
#pragma warning disable CA2100 // Names and types are the constants above.
            command.CommandText = $"ALTER TABLE audit_events ADD COLUMN {name} {(engine == DatabaseEngine.Postgres ? postgres : sqlite)}";
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<HashSet<string>> ColumnsAsync(DbConnection connection, DbTransaction transaction, DatabaseEngine engine, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = engine == DatabaseEngine.Postgres
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'audit_events'"
            : "SELECT name FROM pragma_table_info('audit_events')";
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }
}
