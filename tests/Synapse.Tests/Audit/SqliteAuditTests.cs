using Microsoft.Data.Sqlite;

namespace Synapse.Tests.Audit;

public sealed class SqliteAuditTests : AuditScenarios
{
    private protected override AuditTestEngine Engine { get; } = new SqliteAuditEngine();

    [Theory]
    [InlineData("audit_events")]
    [InlineData("audit_manifest")]
    public async Task Triggers_RejectUpdateAndDelete(string table)
    {
        await using var log = await CreateAsync();
        await (await log.StartWriterAsync()).AppendAsync(AuditSamples.Simple(1));
        await using var connection = new SqliteConnection(log.Database.ConnectionString);
        await connection.OpenAsync();

        foreach (var sql in new[] { $"UPDATE {table} SET kind = 'x'", $"DELETE FROM {table}" })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            var error = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
            Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
        }

        Assert.Single(await log.RowsAsync());
        Assert.Single(await log.ManifestAsync());
    }
}
