using System.Text;
using Microsoft.Data.Sqlite;
using Synapse.Persistence.Storage;

namespace Synapse.Tests.Audit;

internal sealed class SqliteAuditEngine : AuditTestEngine
{
    public override string InsertSwappedSql => "INSERT INTO audit_events SELECT * FROM swap";

    public override Task<(SynapseDatabase Database, string DataDirectory)> CreateDatabaseAsync()
    {
        var directory = AuditHarness.NewDataDirectory();
        return Task.FromResult((SynapseDatabase.ForSqliteFile(Path.Combine(directory, SynapseDatabase.SqliteFileName)), directory));
    }

    // Whoever can write the file can drop the triggers.
    public override async Task TamperAsync(SynapseDatabase database, string sql)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            DROP TRIGGER IF EXISTS audit_events_no_update; DROP TRIGGER IF EXISTS audit_events_no_delete;
            DROP TRIGGER IF EXISTS audit_manifest_no_update; DROP TRIGGER IF EXISTS audit_manifest_no_delete;
            """ + "\n" + sql;
        await command.ExecuteNonQueryAsync();
    }

    public override Task<SynapseDatabase> AsInsertOnlyWriterAsync(SynapseDatabase database) => Task.FromResult(database);

    public override async Task<string> DumpAsync(SynapseDatabase database)
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
