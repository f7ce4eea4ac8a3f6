using System.Data.Common;
using Npgsql;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;
using Xunit;

using Synapse.Persistence.Schema;

namespace Synapse.Tests.Storage;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresGrainStorageTests(PostgresServer server) : GrainStorageScenarios
{
    protected override async Task<SynapseDatabase> CreateDatabaseAsync()
    {
        var database = new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("storage"));
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        return database;
    }

    protected override DbConnection CreateConnection(SynapseDatabase database) => new NpgsqlConnection(database.ConnectionString);
}
