using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;
using Orleans.Dashboard;
using Synapse.Configuration;
using Synapse.Grains;
using Synapse.Hosting.Alerts;
using Synapse.Hosting.Audit;
using Synapse.Hosting.Drain;
using Synapse.Hosting.Telemetry;
using Synapse.Persistence.Storage;
using Synapse.Hosting.Tls;
using Synapse.Requests;

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
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(database);
        var services = silo.Services;
        services.AddSynapseOrleansOptions(configuration);
        if (database.Engine == DatabaseEngine.Postgres)
        {
            silo.UseSynapseAdoNetClustering(database);
            services.AddClusteredSiloEndpoints();
        }
        else
        {
            // One silo, its own primary: development clustering reads the primary's endpoint from
            // the EndpointOptions configured here.
            silo.UseDevelopmentClustering(primarySiloEndpoint: null);
            services.AddLocalSiloEndpoints();
        }

        silo.UseSynapseTls(configuration);
        silo.AddSynapseGrainStorage(database, sp => GrainStateSealingSource.For(sp, dataDirectory, clustered: database.Engine == DatabaseEngine.Postgres));
        silo.AddSynapseAudit(configuration, database, dataDirectory);
        silo.AddSynapseAlerts(configuration, database);
        services.ConfigureFromSynapse<SiloMessagingOptions>((messaging, orleans) => messaging.ResponseTimeout = TimeSpan.FromSeconds(orleans.ResponseTimeoutSeconds));
        silo.AddActivityPropagation();
        silo.Configure<GrainDirectoryOptions>(SiloFootprint.GrainDirectory);
        if (DashboardIsOn(configuration))
        {
            silo.AddDashboard(SiloFootprint.Dashboard);
        }

        services.TryAddSingleton(sp => new RequestHeartbeat(TimeSpan.FromSeconds(sp.GetRequiredService<SynapseOrleansOptions>().HeartbeatSeconds)));
        services.AddSynapseGrainServices(configuration);
        services.AddSynapseShutdownOptions(configuration);
        services.TryAddSingleton(ClusterConnection.ForSilo());
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, OrleansPortCheck>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloDrainLifecycle>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SiloGauges>();
        services.AddHostedService<TokenEncodingPreload>();
        WatchdogClock.UseForTheWatchdog(services);
        return silo;
    }

    /// <summary>A front end's connection to a PostgreSQL-clustered set of silos.</summary>
    public static IClientBuilder UseSynapseClient(this IClientBuilder client, IConfiguration configuration, SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(client);
        var services = client.Services;
        services.AddSynapseOrleansOptions(configuration);
        client.UseSynapseAdoNetClustering(database);
        client.UseSynapseTls(configuration);
        services.ConfigureFromSynapse<ClientMessagingOptions>((messaging, orleans) => messaging.ResponseTimeout = TimeSpan.FromSeconds(orleans.ResponseTimeoutSeconds));
        services.ConfigureFromSynapse<GatewayOptions>((gateways, orleans) => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(orleans.GatewayListRefreshSeconds));
        client.AddActivityPropagation();
        services.AddSingleton<IClientConnectionRetryFilter, ClusterConnectionRetryFilter>();
        var connection = ClusterConnection.ForClient();
        services.AddSingleton(connection);
        client.AddClusterConnectionStatusObserver(connection);
        client.AddClusterConnectionStatusObserver<ClusterConnectionLog>();
        if (DashboardIsOn(configuration))
        {
            client.AddDashboard(SiloFootprint.Dashboard);
        }

        return client;
    }

    /// <summary>
    /// Whether the dashboard's services are registered: decided while the host is composed, so the
    /// one early read of <see cref="SynapseOrleansOptions"/>, checked by the validator the host runs
    /// at start (a wrong setting in the section stops the composition with its one line).
    /// </summary>
    private static bool DashboardIsOn(IConfiguration configuration) =>
        OptionsReader.Read<SynapseOrleansOptions>(configuration, SynapseOrleansOptions.SectionName).Dashboard;
}
