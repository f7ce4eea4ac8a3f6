using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Synapse.Persistence.Storage;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Storage;

/// <summary>
/// A started generic host (silo or client) that is stopped and disposed with <c>await using</c>, so
/// a failing assertion never leaves a silo running in the test process.
/// </summary>
internal sealed class TestHost(IHost host) : IAsyncDisposable
{
    public const string ServiceId = "synapse-tests";

    public IServiceProvider Services => host.Services;

    /// <summary>
    /// The seal every test silo uses unless a test brings its own: one key for the whole run, and
    /// one marker directory, whose marker the first silo writes (every later silo finds it).
    /// </summary>
    public static readonly GrainStateSealing Sealing = new(
        System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
        Path.Combine(Path.GetTempPath(), "synapse-tests", $"seal-marker-{Guid.NewGuid():N}"));

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>A silo like the all-in-one mode's: localhost clustering, grain state in <paramref name="database"/>.</summary>
    public static Task<TestHost> StartSiloAsync(SynapseDatabase database, GrainStateSealing? sealing = null) =>
        StartAsync(new HostBuilder().UseOrleans(silo => silo
            .UseLocalhostClustering(FreePort.Next(), FreePort.Next(), serviceId: ServiceId, clusterId: $"local-{Guid.NewGuid():N}")
            .AddSynapseGrainStorage(database, _ => sealing ?? Sealing)));

    /// <summary>A silo like the cluster mode's: membership and grain state in PostgreSQL.</summary>
    public static Task<TestHost> StartClusterSiloAsync(SynapseDatabase database, string clusterId) =>
        StartAsync(new HostBuilder().UseOrleans(silo => silo
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = ServiceId;
            })
            .ConfigureEndpoints(IPAddress.Loopback, FreePort.Next(), FreePort.Next())
            .UseSynapseAdoNetClustering(database)
            .AddSynapseGrainStorage(database, _ => Sealing)));

    /// <summary>A client that finds the cluster's gateways in PostgreSQL.</summary>
    public static Task<TestHost> StartClientAsync(SynapseDatabase database, string clusterId) =>
        StartAsync(new HostBuilder().UseOrleansClient(client => client
            .Configure<ClusterOptions>(options =>
            {
                options.ClusterId = clusterId;
                options.ServiceId = ServiceId;
            })
            .UseSynapseAdoNetClustering(database)));

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await host.StopAsync(timeout.Token);
        }
        finally
        {
            host.Dispose();
        }
    }

    private static async Task<TestHost> StartAsync(IHostBuilder builder)
    {
        var host = builder.Build();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await host.StartAsync(timeout.Token);
            return new TestHost(host);
        }
        catch
        {
            host.Dispose();
            throw;
        }
    }
}
