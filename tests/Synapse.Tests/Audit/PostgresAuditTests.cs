using Npgsql;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Schema;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresAuditTests(PostgresServer server) : AuditScenarios
{
    private protected override AuditTestEngine Engine { get; } = new PostgresAuditEngine(server);

    [Theory]
    [InlineData("UPDATE audit_events SET outcome = 'x'")]
    [InlineData("DELETE FROM audit_events")]
    [InlineData("TRUNCATE audit_events")]
    public async Task WriterRole_MayNotUpdateDeleteOrTruncate(string sql)
    {
        await using var log = await CreateAsync();
        await (await log.StartWriterAsync()).AppendAsync(AuditSamples.Simple(1));
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
        await (await log.StartWriterAsync()).AppendAsync(AuditSamples.Simple(1));
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

        foreach (var table in new[] { "audit_events", "audit_manifest" })
        {
            var privileges = await Scalar(connection,
                "SELECT string_agg(privilege_type, ',' ORDER BY privilege_type) FROM information_schema.role_table_grants " +
                $"WHERE table_name = '{table}' AND grantee = '{AuditSchema.WriterRole}'");

            Assert.Equal("INSERT,SELECT", privileges);
        }
    }

    [Theory]
    [InlineData("UPDATE audit_manifest SET kind = 'close'")]
    [InlineData("DELETE FROM audit_manifest")]
    [InlineData("TRUNCATE audit_manifest")]
    public async Task TheManifest_IsAppendOnly_ForTheWriterRoleAndTheOwner(string sql)
    {
        await using var log = await CreateAsync();
        await (await log.StartWriterAsync()).AppendAsync(AuditSamples.Simple(1));
        await using var connection = new NpgsqlConnection(log.Database.ConnectionString);
        await connection.OpenAsync();

        var asOwner = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, sql));
        await using var transaction = await connection.BeginTransactionAsync();
        await Execute(connection, $"SET LOCAL ROLE {AuditSchema.WriterRole}");
        var asWriter = await Assert.ThrowsAsync<PostgresException>(() => Execute(connection, sql));

        Assert.Contains("append-only", asOwner.MessageText, StringComparison.Ordinal);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, asWriter.SqlState);
        Assert.Single(await log.ManifestAsync());
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
