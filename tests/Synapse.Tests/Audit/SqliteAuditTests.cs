using System.Text;
using Microsoft.Data.Sqlite;
using Synapse.Persistence.Storage;

namespace Synapse.Tests.Audit;

public sealed class SqliteAuditTests : AuditScenarios
{
    private protected override string InsertSwappedSql => "INSERT INTO audit_events SELECT * FROM swap";

    [Fact]
    public async Task Triggers_RejectUpdateAndDelete()
    {
        await using var log = await CreateAsync();
        await log.StartWriter().AppendAsync(AuditSamples.Simple(1));
        await using var connection = new SqliteConnection(log.Database.ConnectionString);
        await connection.OpenAsync();

        foreach (var sql in new[] { "UPDATE audit_events SET outcome = 'x'", "DELETE FROM audit_events" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        }

        Assert.Single(await log.RowsAsync());
    }

    private protected override Task<(SynapseDatabase Database, string DataDirectory)> CreateDatabaseAsync()
    {
        var directory = AuditHarness.NewDataDirectory();
        return Task.FromResult((SynapseDatabase.ForSqliteFile(Path.Combine(directory, SynapseDatabase.SqliteFileName)), directory));
    }

    // Whoever can write the file can drop the triggers.
    private protected override async Task TamperAsync(SynapseDatabase database, string sql)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;\n" + sql;
        await command.ExecuteNonQueryAsync();
    }

    private protected override async Task<string> DumpAsync(SynapseDatabase database)
    {
        SqliteConnection.ClearAllPools();
        var path = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
        var text = new StringBuilder();
        foreach (var file in new[] { path, path + "-wal", path + "-journal" }.Where(File.Exists))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            text.Append(Encoding.Latin1.GetString(copy.ToArray()));
        }

        return text.ToString();
    }
}
