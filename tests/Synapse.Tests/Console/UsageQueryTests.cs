using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Console;

public sealed class SqliteUsageQueryTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-usage-" + Guid.NewGuid().ToString("N"));

    private SynapseDatabase Database => SynapseDatabase.ForSqliteFile(Path.Combine(_directory, "usage.db"));

    [Fact]
    public Task CountsEachRequestOnceByOutcome_FromTheLogTheRollupAndBoth() => new UsageScenarios(Database).CountsEachRequestOnceByOutcome_FromTheLogTheRollupAndBoth();

    [Fact]
    public Task GroupsByKey_KeepsTheTopValues_AndSumsTheRestAsOther() => new UsageScenarios(Database).GroupsByKey_KeepsTheTopValues_AndSumsTheRestAsOther();

    [Fact]
    public Task UsageTablesWithoutTheGatewayColumns_AreUpgradedAtStart_AndKeepTheirRows() => new UsageScenarios(Database).UsageTablesWithoutTheGatewayColumns_AreUpgradedAtStart_AndKeepTheirRows();

    [Theory]
    [InlineData("DELETE FROM usage_minutes; DELETE FROM usage_hours")]
    [InlineData("DELETE FROM usage_minutes")]
    public Task DeletedUsageTables_AreRebuiltFromTheLog(string deletion) => new UsageScenarios(Database).DeletedUsageTables_AreRebuiltFromTheLog(deletion);

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresUsageQueryTests(PostgresServer server)
{
    [Fact]
    public async Task CountsEachRequestOnceByOutcome_FromTheLogTheRollupAndBoth() =>
        await new UsageScenarios(new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("usage"))).CountsEachRequestOnceByOutcome_FromTheLogTheRollupAndBoth();

    [Fact]
    public async Task GroupsByKey_KeepsTheTopValues_AndSumsTheRestAsOther() =>
        await new UsageScenarios(new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("usage"))).GroupsByKey_KeepsTheTopValues_AndSumsTheRestAsOther();

    [Fact]
    public async Task UsageTablesWithoutTheGatewayColumns_AreUpgradedAtStart_AndKeepTheirRows() =>
        await new UsageScenarios(new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("usage"))).UsageTablesWithoutTheGatewayColumns_AreUpgradedAtStart_AndKeepTheirRows();

    [Theory]
    [InlineData("DELETE FROM usage_minutes; DELETE FROM usage_hours")]
    [InlineData("DELETE FROM usage_minutes")]
    public async Task DeletedUsageTables_AreRebuiltFromTheLog(string deletion) =>
        await new UsageScenarios(new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("usage"))).DeletedUsageTables_AreRebuiltFromTheLog(deletion);
}
