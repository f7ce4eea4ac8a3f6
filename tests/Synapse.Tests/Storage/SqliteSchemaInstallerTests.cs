using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;
using Xunit;

using Synapse.Persistence.Schema;

namespace Synapse.Tests.Storage;

public sealed class SqliteSchemaInstallerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"synapse-sqlite-{Guid.NewGuid():N}");

    [Fact]
    public async Task EnsureCreated_FreshDatabase_InstallsEveryRequiredQuery()
    {
        var database = CreateDatabase();

        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(_directory, "synapse.db")));
        var keys = await database.StringsAsync("SELECT QueryKey FROM OrleansQuery");
        Assert.All(SchemaInstaller.GetRequiredQueryKeys(DatabaseEngine.Sqlite), key => Assert.Contains(key, keys));
    }

    [Fact]
    public async Task EnsureCreated_RunTwice_KeepsStoredState()
    {
        var database = CreateDatabase();
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        await database.ExecuteAsync(
            "INSERT INTO synapse_grain_state (service_id, grain_type, grain_id_n0, grain_id_n1, grain_key, payload, version) " +
            "VALUES ('svc', 'type.state', 0, 0, 'key', X'7B7D', 1)");

        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);

        Assert.Equal(1L, await database.ScalarAsync( "SELECT count(*) FROM synapse_grain_state"));
        Assert.Equal(
            SchemaInstaller.GetRequiredQueryKeys(DatabaseEngine.Sqlite).Count,
            Convert.ToInt32(await database.ScalarAsync( "SELECT count(*) FROM OrleansQuery"), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task EnsureCreated_SwitchesTheFileToWriteAheadLogging()
    {
        var database = CreateDatabase();

        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);

        Assert.Equal("wal", await database.ScalarAsync( "PRAGMA journal_mode"));
    }

    [Fact]
    public void FromConfiguration_WithoutPostgres_UsesSqliteInTheDataDirectory()
    {
        var nested = Path.Combine(_directory, "nested", "data");

        var database = SynapseDatabase.FromConfiguration(new ConfigurationBuilder().Build(), nested);

        Assert.Equal(DatabaseEngine.Sqlite, database.Engine);
        Assert.Equal("System.Data.SQLite", database.Invariant);
        Assert.True(Directory.Exists(nested));
        Assert.Equal(Path.Combine(nested, "synapse.db"), new SqliteConnectionStringBuilder(database.ConnectionString).DataSource);
    }

    [Fact]
    public void FromConfiguration_WithPostgres_UsesPostgresAndHidesThePassword()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["ConnectionStrings:Postgres"] = "Host=db;Database=synapse;Username=synapse;Password=hunter2",
            })
            .Build();

        var database = SynapseDatabase.FromConfiguration(configuration, _directory);

        Assert.Equal(DatabaseEngine.Postgres, database.Engine);
        Assert.Equal("Npgsql", database.Invariant);
        Assert.DoesNotContain("hunter2", database.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_directory));
    }

    [Fact]
    public void Clustering_OnSqlite_IsRejectedWithAClearMessage()
    {
        var database = CreateDatabase();

        var error = Assert.Throws<InvalidOperationException>(
            () => new HostBuilder().UseOrleans(silo => silo.UseSynapseAdoNetClustering(database)).Build());

        Assert.Contains("PostgreSQL", error.Message, StringComparison.Ordinal);
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

    private SynapseDatabase CreateDatabase() => SynapseDatabase.FromConfiguration(new ConfigurationBuilder().Build(), _directory);
}
