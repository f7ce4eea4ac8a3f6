using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;
using Synapse.Tests.Storage.Grains;
using Xunit;

using Synapse.Persistence.Schema;

namespace Synapse.Tests.Storage;

[Trait("Category", "Slow")]
[Collection(PostgresCollection.Name)]
public sealed class PostgresClusteringTests(PostgresServer server)
{
    [Fact]
    public async Task TwoSilosOnOneDatabase_FormOneCluster_AndAClientCallsAGrain()
    {
        var database = new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("cluster"));
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        var clusterId = $"cluster-{Guid.NewGuid():N}";

        await using var first = await TestHost.StartClusterSiloAsync(database, clusterId);
        await using var second = await TestHost.StartClusterSiloAsync(database, clusterId);

        await WaitForActiveSilosAsync(first, 2);
        await WaitForActiveSilosAsync(second, 2);
        Assert.Equal(2L, await CountRowsAsync(database, clusterId, "status = 3"));

        await using var client = await TestHost.StartClientAsync(database, clusterId);
        var grain = client.Grains.GetGrain<IStateProbeGrain>($"key-{Guid.NewGuid():N}");
        var written = await grain.SetAsync("from-client", 7);
        Assert.Equal(written, await grain.ReloadAsync());
        Assert.False(string.IsNullOrEmpty(await grain.GetSiloAsync()));
    }

    [Fact]
    public async Task StoppedSilo_IsRemovedByDefunctSiloCleanup()
    {
        var database = new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("cleanup"));
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        var clusterId = $"cluster-{Guid.NewGuid():N}";

        await using var survivor = await TestHost.StartClusterSiloAsync(database, clusterId);
        await using (var leaver = await TestHost.StartClusterSiloAsync(database, clusterId))
        {
            await WaitForActiveSilosAsync(leaver, 2);
        }

        // A silo that shuts down gracefully marks its own row Dead (UpdateMembershipKey).
        Assert.Equal(1L, await CountRowsAsync(database, clusterId, "status = 6"));

        var table = survivor.Services.GetRequiredService<IMembershipTable>();
        await table.CleanupDefunctSiloEntriesAsync(DateTimeOffset.UtcNow.AddMinutes(1));

        Assert.Equal(0L, await CountRowsAsync(database, clusterId, "status = 6"));
        Assert.Equal(1L, await CountRowsAsync(database, clusterId, "status = 3"));
    }

    [Fact]
    public async Task LegacyCleanupQuery_DeletesOnlyDeadRowsBeforeTheCutoff()
    {
        var database = new SynapseDatabase(DatabaseEngine.Postgres, await server.CreateUniqueDatabaseAsync("legacy"));
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using (var seed = new NpgsqlCommand(
            "INSERT INTO synapse_membership_version (deployment_id) VALUES ('c');" +
            "INSERT INTO synapse_membership (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time) VALUES " +
            "('c', '127.0.0.1', 1, 1, 'dead', 'h', 6, 0, now() - interval '2 hours', now() - interval '2 hours')," +
            "('c', '127.0.0.1', 2, 1, 'active', 'h', 3, 0, now() - interval '2 hours', now() - interval '2 hours')," +
            "('c', '127.0.0.1', 3, 1, 'recent', 'h', 6, 0, now(), now())",
            connection))
        {
            await seed.ExecuteNonQueryAsync();
        }

        string query;
        await using (var read = new NpgsqlCommand("SELECT QueryText FROM OrleansQuery WHERE QueryKey = 'CleanupDefunctSiloEntriesKey'", connection))
        {
            query = (string)(await read.ExecuteScalarAsync())!;
        }

        // Bound the way the 10.4.2 provider binds them: a string and a UTC DateTime as DbType.DateTime.
        await using (var cleanup = new NpgsqlCommand(query, connection))
        {
            cleanup.Parameters.Add(new NpgsqlParameter("DeploymentId", System.Data.DbType.String) { Value = "c" });
            cleanup.Parameters.Add(new NpgsqlParameter("IAmAliveTime", System.Data.DbType.DateTime) { Value = DateTime.UtcNow.AddHours(-1) });
            Assert.Equal(1, await cleanup.ExecuteNonQueryAsync());
        }

        Assert.Equal(2L, await CountRowsAsync(database, "c", "true"));
    }

    private static async Task WaitForActiveSilosAsync(TestHost silo, int expected)
    {
        var membership = silo.Services.GetRequiredService<IClusterMembershipService>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (membership.CurrentSnapshot.Members.Values.Count(member => member.Status == SiloStatus.Active) < expected)
        {
            // Refresh reads the membership table now instead of waiting for the next periodic read.
            await membership.Refresh(cancellationToken: timeout.Token);
            await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
        }
    }

    private static async Task<long> CountRowsAsync(SynapseDatabase database, string clusterId, string condition)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"SELECT count(*) FROM synapse_membership WHERE deployment_id = @cluster AND {condition}", connection);
        command.Parameters.AddWithValue("cluster", clusterId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
