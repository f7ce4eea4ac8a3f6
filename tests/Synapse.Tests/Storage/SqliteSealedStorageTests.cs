using Microsoft.Data.Sqlite;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;

namespace Synapse.Tests.Storage;

[Trait("Category", "Slow")]
public sealed class SqliteSealedStorageTests : SealedStorageScenarios, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"synapse-sqlite-{Guid.NewGuid():N}");

    protected override async Task<SynapseDatabase> CreateDatabaseAsync()
    {
        var database = SynapseDatabase.FromConfiguration(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), _directory);
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        return database;
    }

    public void Dispose()
    {
        // Pooled connections keep the file open.
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }
}
