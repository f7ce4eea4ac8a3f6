using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Accounts;

public sealed class SqliteAccountStoreTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-accounts-" + Guid.NewGuid().ToString("N"));

    private SynapseDatabase Database => SynapseDatabase.ForSqliteFile(Path.Combine(_directory, "accounts.db"));

    [Fact]
    public Task TablesOfAnEarlierRelease_GetTheSealColumns_TheirAccountsAreBrokenUntilSealed_AndTheirSessionsAreDropped() =>
        new AccountStoreScenarios(Database).TablesOfAnEarlierRelease_GetTheSealColumns_TheirAccountsAreBrokenUntilSealed_AndTheirSessionsAreDropped();

    [Fact]
    public Task EachAuthorityBearingFieldEditedBySql_BreaksTheAccount_AndTheLockDoesNot() =>
        new AccountStoreScenarios(Database).EachAuthorityBearingFieldEditedBySql_BreaksTheAccount_AndTheLockDoesNot();

    [Fact]
    public Task ASessionIsFoundByItsId_AndNotOnceItsRowIsMovedExtendedOrItsAccountBroken() =>
        new AccountStoreScenarios(Database).ASessionIsFoundByItsId_AndNotOnceItsRowIsMovedExtendedOrItsAccountBroken();

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
public sealed class PostgresAccountStoreTests(PostgresServer server)
{
    [Fact]
    public async Task TablesOfAnEarlierRelease_GetTheSealColumns_TheirAccountsAreBrokenUntilSealed_AndTheirSessionsAreDropped() =>
        await new AccountStoreScenarios(await DatabaseAsync()).TablesOfAnEarlierRelease_GetTheSealColumns_TheirAccountsAreBrokenUntilSealed_AndTheirSessionsAreDropped();

    [Fact]
    public async Task EachAuthorityBearingFieldEditedBySql_BreaksTheAccount_AndTheLockDoesNot() =>
        await new AccountStoreScenarios(await DatabaseAsync()).EachAuthorityBearingFieldEditedBySql_BreaksTheAccount_AndTheLockDoesNot();

    [Fact]
    public async Task ASessionIsFoundByItsId_AndNotOnceItsRowIsMovedExtendedOrItsAccountBroken() =>
        await new AccountStoreScenarios(await DatabaseAsync()).ASessionIsFoundByItsId_AndNotOnceItsRowIsMovedExtendedOrItsAccountBroken();

    private async Task<SynapseDatabase> DatabaseAsync() => new(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("accounts"));
}
