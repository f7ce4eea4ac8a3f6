using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Synapse.Grains;
using Synapse.Hosting.Alerts;
using Synapse.Hosting.Audit;
using Synapse.Hosting.Drain;
using Synapse.Hosting.Telemetry;
using Synapse.Persistence.Storage;
using Synapse.Hosting.Tls;

namespace Synapse.Hosting;

public static class SynapseSiloBuilderExtensions
{
    /// <summary>
    /// Everything a Synapse silo needs, in either hosting mode: clustering (localhost on SQLite,
    /// ADO.NET on PostgreSQL) with its failure detection, grain storage, the audit log, the
    /// dashboard's collectors, the grains' services, trace propagation and a drain on stop.
    /// </summary>
    public static ISiloBuilder UseSynapseSilo(this ISiloBuilder silo, IConfiguration configuration, SynapseDatabase database, string dataDirectory)
    {
        var orleans = SynapseOrleansOptions.From(configuration);
        if (database.Engine == DatabaseEngine.Postgres)
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans.ClusterId;
                o.ServiceId = orleans.ServiceId;
            });
            silo.UseSynapseAdoNetClustering(database);
            silo.ConfigureEndpoints(orleans.ResolveAdvertisedAddress(), orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: true);

            // How soon the survivors declare a crashed silo dead (about two probe periods), after
            // which its grains are placed again and the front ends' retries succeed.
            silo.Configure<ClusterMembershipOptions>(o => o.ProbeTimeout = TimeSpan.FromSeconds(orleans.ProbeTimeoutSeconds));
        }
        else
        {
            silo.UseLocalhostClustering(orleans.SiloPort, orleans.GatewayPort, serviceId: orleans.ServiceId, clusterId: orleans.ClusterId);
        }

        silo.UseSynapseTls(configuration);
        silo.AddSynapseGrainStorage(database);
        silo.AddSynapseAudit(configuration, database, dataDirectory);
        silo.AddSynapseAlerts(configuration, database);
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(orleans.ResponseTimeoutSeconds));
        silo.AddActivityPropagation();
        silo.Configure<GrainDirectoryOptions>(SiloFootprint.GrainDirectory);
        if (orleans.Dashboard)
        {
            silo.AddDashboard(SiloFootprint.Dashboard);
        }

        silo.Services.TryAddSingleton(new Synapse.Requests.RequestHeartbeat(TimeSpan.FromSeconds(orleans.HeartbeatSeconds)));
        silo.Services.AddSynapseGrainServices(configuration);
        silo.Services.TryAddSingleton(ShutdownOptions.From(configuration));
        silo.Services.TryAddSingleton(ClusterConnection.ForSilo());
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloDrainLifecycle>();
        silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloGauges>();
        return silo;
    }

    /// <summary>A front end's connection to a PostgreSQL-clustered set of silos.</summary>
    public static IClientBuilder UseSynapseClient(this IClientBuilder client, IConfiguration configuration, SynapseDatabase database)
    {
        var orleans = SynapseOrleansOptions.From(configuration);
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans.ClusterId;
            o.ServiceId = orleans.ServiceId;
        });
        client.UseSynapseAdoNetClustering(database);
        client.UseSynapseTls(configuration);
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(orleans.ResponseTimeoutSeconds));
        client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(orleans.GatewayListRefreshSeconds));
        client.AddActivityPropagation();
        client.Services.AddSingleton<IClientConnectionRetryFilter>(sp => new ClusterConnectionRetryFilter(orleans, sp.GetRequiredService<ILogger<ClusterConnectionRetryFilter>>()));
        var connection = ClusterConnection.ForClient();
        client.Services.AddSingleton(connection);
        client.AddClusterConnectionStatusObserver(connection);
        if (orleans.Dashboard)
        {
            client.AddDashboard(SiloFootprint.Dashboard);
        }

        return client;
    }
}
