using System.Data.Common;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Schema;

/// <summary>
/// Adds the columns a table created by an earlier release lacks: <c>CREATE TABLE IF NOT EXISTS</c>
/// leaves an existing table as it was, and SQLite has no <c>ADD COLUMN IF NOT EXISTS</c>, so the
/// missing ones are found and added, inside the installer's transaction.
/// </summary>
internal static class MissingColumns
{
    /// <param name="table">A table name from the schema's own constants, never from input.</param>
    /// <param name="columns">Each column's name and its definition on PostgreSQL and on SQLite (constants).</param>
    public static async Task AddAsync(
        DbConnection connection, DbTransaction transaction, DatabaseEngine engine, string table,
        IEnumerable<(string Name, string Postgres, string Sqlite)> columns, CancellationToken cancellationToken)
    {
        var existing = await ColumnsAsync(connection, transaction, engine, table, cancellationToken).ConfigureAwait(false);
        foreach (var (name, postgres, sqlite) in columns.Where(c => !existing.Contains(c.Name)))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
#pragma warning disable CA2100 // Table, names and types are the callers' constants.
            command.CommandText = $"ALTER TABLE {table} ADD COLUMN {name} {(engine == DatabaseEngine.Postgres ? postgres : sqlite)}";
#pragma warning restore CA2100
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<HashSet<string>> ColumnsAsync(DbConnection connection, DbTransaction transaction, DatabaseEngine engine, string table, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = engine == DatabaseEngine.Postgres
            ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table"
            : "SELECT name FROM pragma_table_info(@table)";
        var parameter = command.CreateParameter();
        parameter.ParameterName = "table";
        parameter.Value = table;
        command.Parameters.Add(parameter);
        var columns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }
}
