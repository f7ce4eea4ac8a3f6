using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;
using Xunit;

using Synapse.Persistence.Schema;

namespace Synapse.Tests.Storage;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemaInstallerTests(PostgresServer server)
{
    [Fact]
    public async Task EnsureCreated_FreshDatabase_InstallsEveryRequiredQuery()
    {
        var database = await CreateDatabaseAsync();

        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);

        var keys = await database.StringsAsync("SELECT QueryKey FROM OrleansQuery");
        Assert.All(SchemaInstaller.GetRequiredQueryKeys(DatabaseEngine.Postgres), key => Assert.Contains(key, keys));
        Assert.Contains("CleanupDefunctSiloEntriesKey", keys);
    }

    [Fact]
    public async Task EnsureCreated_RunTwice_KeepsStoredStateAndRestoresQueries()
    {
        var database = await CreateDatabaseAsync();
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        await database.ExecuteAsync(
            "INSERT INTO synapse_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key, payload, version) " +
            "VALUES ('svc', 'type.state', 0, 0, 'key', '\\x7b7d', 1)");
        await database.ExecuteAsync( "UPDATE OrleansQuery SET QueryText = 'broken' WHERE QueryKey = 'WriteToStorageKey'");

        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);

        Assert.Equal(1L, await database.ScalarAsync( "SELECT count(*) FROM synapse_grain_state"));
        Assert.NotEqual("broken", await database.ScalarAsync( "SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'WriteToStorageKey'"));
    }

    [Fact]
    public async Task EnsureCreated_FourProcessesAtOnce_AllSucceed()
    {
        var database = await CreateDatabaseAsync();

        // Each call opens its own connection, as separate processes starting together would.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(
            _ => Task.Run(() => SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None))));

        var keys = await database.StringsAsync("SELECT QueryKey FROM OrleansQuery");
        Assert.Equal(SchemaInstaller.GetRequiredQueryKeys(DatabaseEngine.Postgres).Count, keys.Count);
    }

    private async Task<SynapseDatabase> CreateDatabaseAsync() =>
        new(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("schema"));
}
