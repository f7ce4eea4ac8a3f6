using System.Security.Cryptography;
using Npgsql;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Cluster;

/// <summary>
/// A throwaway cluster per test: its own database and cluster id on the shared PostgreSQL server,
/// shared audit keys, and one on-prem provider (a mock) serving <c>llama3</c>. Whatever a test
/// starts goes into <see cref="Running"/> and is stopped in reverse order.
/// </summary>
public abstract class ClusterTest(PostgresServer postgres) : IAsyncLifetime
{
    protected List<IAsyncDisposable> Running { get; } = [];

    protected MockOpenAiUpstream Upstream { get; private set; } = null!;

    /// <summary>The settings of a headless silo; <see cref="FrontEndSettings"/> for a front end.</summary>
    protected Dictionary<string, string?> Settings { get; private set; } = null!;

    protected Dictionary<string, string?> FrontEndSettings => new(Settings) { ["Synapse:Mode"] = "client" };

    public async Task InitializeAsync()
    {
        Upstream = await MockOpenAiUpstream.StartAsync();
        Running.Add(Upstream);
        Settings = GatewayHost.Provider("local", Upstream.BaseUrl, "on-prem", "llama3");
        Settings["ConnectionStrings:Postgres"] = await postgres.CreateUniqueDatabaseAsync("cluster");
        Settings["Synapse:Orleans:ClusterId"] = "test-" + Guid.NewGuid().ToString("N")[..8];

        // A cluster shares its audit keys: every silo digests and signs with the same ones.
        Settings["Synapse:Audit:HashKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        Settings["Synapse:Audit:SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

        // …and one checkpoint directory: every silo writes the manifest's copy there, every front end verifies against it.
        Settings["Synapse:Audit:CheckpointDirectory"] = Path.Combine(Path.GetTempPath(), "synapse-tests", "checkpoints-" + Guid.NewGuid().ToString("N"));
    }

    public async Task DisposeAsync()
    {
        foreach (var running in Enumerable.Reverse(Running))
        {
            await running.DisposeAsync();
        }
    }

    /// <summary>The silo process that hosts <paramref name="grain"/>'s activation (null when none does, or another process).</summary>
    protected static async Task<SiloProcess?> SiloOfAsync(IGrainFactory grains, IAddressable grain, IEnumerable<SiloProcess> silos)
    {
        var address = await grains.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return silos.SingleOrDefault(s => s.SiloPort == address?.Endpoint.Port);
    }

    protected async Task ExecuteAsync(string sql)
    {
        await using var dataSource = NpgsqlDataSource.Create(Settings["ConnectionStrings:Postgres"]!);
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Runs <paramref name="action"/> while the audit table is out of reach, as if its store were down.</summary>
    protected async Task<T> WhileTheAuditStoreIsDownAsync<T>(Func<Task<T>> action)
    {
        await ExecuteAsync("ALTER TABLE audit_events RENAME TO audit_events_away");
        try
        {
            return await action();
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE audit_events_away RENAME TO audit_events");
        }
    }
}
