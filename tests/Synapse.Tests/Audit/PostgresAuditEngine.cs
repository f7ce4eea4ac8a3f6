using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

internal sealed class PostgresAuditEngine(PostgresServer server) : AuditTestEngine
{
    public override string InsertSwappedSql => "INSERT INTO audit_events OVERRIDING SYSTEM VALUE SELECT * FROM swap";

    public override async Task<(SynapseDatabase Database, string DataDirectory)> CreateDatabaseAsync() =>
        (new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("audit")), AuditHarness.NewDataDirectory());

    // A superuser switches triggers off for the session, as a replication tool would.
    public override async Task TamperAsync(SynapseDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SET session_replication_role = replica;\n" + sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task<SynapseDatabase> AsInsertOnlyWriterAsync(SynapseDatabase database)
    {
        var login = "writer_" + Guid.NewGuid().ToString("N")[..12];
        await database.ExecuteAsync($"CREATE ROLE {login} LOGIN; GRANT {AuditSchema.WriterRole} TO {login};");
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = login };
        return new SynapseDatabase(DatabaseEngine.Postgres, builder.ConnectionString);
    }

    public override async Task<string> DumpAsync(SynapseDatabase database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var pgDump = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump")).First(File.Exists);
        var start = new ProcessStartInfo(pgDump) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture), "-U", builder.Username!, "--data-only", builder.Database! })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var dump = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return dump;
    }
}
