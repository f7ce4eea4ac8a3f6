using Synapse.Persistence.Storage;

namespace Synapse.Tests.Infrastructure;

/// <summary>One-off SQL against a test's database, whichever engine it is.</summary>
internal static class DatabaseCommands
{
    public static async Task ExecuteAsync(this SynapseDatabase database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    public static async Task<object?> ScalarAsync(this SynapseDatabase database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    /// <summary>The first column of every row, as strings.</summary>
    public static async Task<HashSet<string>> StringsAsync(this SynapseDatabase database, string sql)
    {
        await using var connection = await OpenAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }

    private static async Task<System.Data.Common.DbConnection> OpenAsync(SynapseDatabase database)
    {
        var connection = database.CreateConnection();
        await connection.OpenAsync();
        return connection;
    }
}
