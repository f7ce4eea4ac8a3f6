using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Dashboard;
using Synapse.Grains;
using Synapse.Hosting.Alerts;
using Synapse.Persistence.Alerts;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Storage;
using Synapse.Hosting.Tls;

namespace Synapse.Hosting;

public static class SynapseSiloBuilderExtensions
{
    /// <summary>
    /// Everything a Synapse silo needs, in either hosting mode: clustering (localhost on SQLite,
    /// ADO.NET on PostgreSQL), grain storage, the audit log, the dashboard's collectors and the
    /// grains' services.
    /// </summary>
    public static ISiloBuilder UseSynapseSilo(this ISiloBuilder silo, IConfiguration configuration, SynapseDatabase database, string dataDirectory)
    {
        var orleans = configuration.GetSection(SynapseOrleansOptions.SectionName).Get<SynapseOrleansOptions>() ?? new();
        if (database.Engine == DatabaseEngine.Postgres)
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = orleans.ClusterId;
                o.ServiceId = orleans.ServiceId;
            });
            silo.UseSynapseAdoNetClustering(database);
            silo.ConfigureEndpoints(orleans.ResolveAdvertisedAddress(), orleans.SiloPort, orleans.GatewayPort, listenOnAnyHostAddress: true);
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
        silo.Configure<GrainDirectoryOptions>(SiloFootprint.GrainDirectory);
        if (orleans.Dashboard)
        {
            silo.AddDashboard(SiloFootprint.Dashboard);
        }

        silo.Services.AddSynapseGrainServices(configuration);
        return silo;
    }

    /// <summary>A front end's connection to a PostgreSQL-clustered set of silos.</summary>
    public static IClientBuilder UseSynapseClient(this IClientBuilder client, IConfiguration configuration, SynapseDatabase database)
    {
        var orleans = configuration.GetSection(SynapseOrleansOptions.SectionName).Get<SynapseOrleansOptions>() ?? new();
        client.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = orleans.ClusterId;
            o.ServiceId = orleans.ServiceId;
        });
        client.UseSynapseAdoNetClustering(database);
        client.UseSynapseTls(configuration);
        client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromSeconds(orleans.ResponseTimeoutSeconds));
        client.Services.AddSingleton<IClientConnectionRetryFilter>(sp => new ClusterConnectionRetryFilter(orleans, sp.GetRequiredService<ILogger<ClusterConnectionRetryFilter>>()));
        if (orleans.Dashboard)
        {
            client.AddDashboard(SiloFootprint.Dashboard);
        }

        return client;
    }
}
