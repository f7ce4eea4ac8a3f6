using System.Diagnostics;
using Npgsql;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Audit;
using Synapse.Silo.Audit;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

using Synapse.Persistence.Schema;

namespace Synapse.Tests.Audit;

[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditTests(PostgresServer server) : AuditScenarios
{
    private protected override string InsertSwappedSql => "INSERT INTO audit_events OVERRIDING SYSTEM VALUE SELECT * FROM swap";

    [Theory]
    [InlineData("UPDATE audit_events SET outcome = 'x'")]
    [InlineData("DELETE FROM audit_events")]
    [InlineData("TRUNCATE audit_events")]
    public async Task WriterRole_MayNotUpdateDeleteOrTruncate(string sql)
    {
        await using var log = await CreateAsync();
        await log.StartWriter().AppendAsync(AuditSamples.Simple(1));
        await using var connection = new NpgsqlConnection(log.Database.ConnectionString);
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, $"SET LOCAL ROLE {AuditSchema.WriterRole}");
        Assert.Equal(1L, await Scalar(connection, "SELECT count(*) FROM audit_events"));

        var error = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, sql));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
    }

    [Theory]
    [InlineData("UPDATE audit_events SET outcome = 'x'")]
    [InlineData("DELETE FROM audit_events")]
    [InlineData("TRUNCATE audit_events")]
    public async Task Triggers_RejectUpdateDeleteAndTruncate_EvenForTheOwner(string sql)
    {
        await using var log = await CreateAsync();
        await log.StartWriter().AppendAsync(AuditSamples.Simple(1));
        await using var connection = new NpgsqlConnection(log.Database.ConnectionString);
        await connection.OpenAsync();

        var error = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, sql));

        Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        Assert.Single(await log.RowsAsync());
    }

    [Fact]
    public async Task Schema_IsIdempotent_AndGrantsOnlyInsertAndSelect()
    {
        await using var log = await CreateAsync();
        await SchemaInstaller.EnsureCreatedAsync(log.Database, CancellationToken.None);
        await using var connection = new NpgsqlConnection(log.Database.ConnectionString);
        await connection.OpenAsync();

        var privileges = await Scalar(connection,
            "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants " +
            $"WHERE table_name = 'audit_events' AND grantee = '{AuditSchema.WriterRole}'");

        Assert.Equal("INSERT,SELECT", privileges);
    }

    private protected override async Task<(SynapseDatabase Database, string DataDirectory)> CreateDatabaseAsync() =>
        (new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("audit")), AuditHarness.NewDataDirectory());

    // A superuser switches triggers off for the session, as a replication tool would.
    private protected override async Task TamperAsync(SynapseDatabase database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await Execute(connection, "SET session_replication_role = replica;\n" + sql);
    }

    private protected override async Task<string> DumpAsync(SynapseDatabase database)
    {
        var builder = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var pgDump = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_dump")).First(File.Exists);
        var start = new ProcessStartInfo(pgDump) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-h", builder.Host!, "-p", builder.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", builder.Username!, "--data-only", builder.Database! })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var dump = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.Equal(0, process.ExitCode);
        return dump;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<object?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
