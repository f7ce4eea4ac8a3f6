using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Storage;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresSealedStorageTests(PostgresServer server) : SealedStorageScenarios
{
    protected override async Task<SynapseDatabase> CreateDatabaseAsync()
    {
        var database = new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("sealed"));
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        return database;
    }
}
