using System.Data.Common;
using Microsoft.Data.Sqlite;
using Synapse.Persistence.Storage;
using Xunit;

using Synapse.Persistence.Schema;

namespace Synapse.Tests.Storage;

[Trait("Category", "Slow")]
public sealed class SqliteGrainStorageTests : GrainStorageScenarios, IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"synapse-sqlite-{Guid.NewGuid():N}");

    protected override async Task<SynapseDatabase> CreateDatabaseAsync()
    {
        var database = SynapseDatabase.FromConfiguration(new Microsoft.Extensions.Configuration.ConfigurationBuilder().Build(), _directory);
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        return database;
    }

    protected override DbConnection CreateConnection(SynapseDatabase database) => new SqliteConnection(database.ConnectionString);

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
