using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Synapse.Configuration;

namespace Synapse.Hosting;

/// <summary>
/// <see cref="SynapseOrleansOptions"/> bound once and checked at start, and Orleans' own options
/// configured from it when Orleans first asks for them: the cluster's identity, the silo's
/// endpoints, failure detection and call timeouts.
/// </summary>
internal static class SynapseOrleansServiceCollectionExtensions
{
    /// <summary>The settings, and the cluster identity every silo and client shares.</summary>
    public static IServiceCollection AddSynapseOrleansOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSynapseOptions<SynapseOrleansOptions>(configuration, SynapseOrleansOptions.SectionName);
        services.ConfigureFromSynapse<ClusterOptions>((cluster, orleans) =>
        {
            cluster.ClusterId = orleans.ClusterId;
            cluster.ServiceId = orleans.ServiceId;
        });
        return services;
    }

    /// <summary>
    /// A clustered silo's endpoints: it advertises <see cref="SynapseOrleansOptions.AdvertisedAddress"/>
    /// and listens on <see cref="SynapseOrleansOptions.ListenAddress"/>, by default every address of
    /// the host (a container's address is not known in advance).
    /// </summary>
    public static IServiceCollection AddClusteredSiloEndpoints(this IServiceCollection services)
    {
        services.ConfigureFromSynapse<EndpointOptions>((endpoints, orleans) =>
        {
            endpoints.AdvertisedIPAddress = orleans.ResolveAdvertisedAddress();
            endpoints.SiloPort = orleans.SiloPort;
            endpoints.GatewayPort = orleans.GatewayPort;
            var listen = orleans.ResolveListenAddress();
            endpoints.SiloListeningEndpoint = new IPEndPoint(listen, orleans.SiloPort);
            endpoints.GatewayListeningEndpoint = new IPEndPoint(listen, orleans.GatewayPort);
        });

        // How soon the survivors declare a crashed silo dead (about two probe periods), after
        // which its grains are placed again and the front ends' retries succeed.
        return services.ConfigureFromSynapse<ClusterMembershipOptions>((membership, orleans) => membership.ProbeTimeout = TimeSpan.FromSeconds(orleans.ProbeTimeoutSeconds));
    }

    /// <summary>The all-in-one silo's endpoints: on loopback, where it is its own cluster.</summary>
    public static IServiceCollection AddLocalSiloEndpoints(this IServiceCollection services) =>
        services.ConfigureFromSynapse<EndpointOptions>((endpoints, orleans) =>
        {
            endpoints.AdvertisedIPAddress = IPAddress.Loopback;
            endpoints.SiloPort = orleans.SiloPort;
            endpoints.GatewayPort = orleans.GatewayPort;
        });

    /// <summary>Configures Orleans' <typeparamref name="TOptions"/> from the validated Synapse settings.</summary>
    public static IServiceCollection ConfigureFromSynapse<TOptions>(this IServiceCollection services, Action<TOptions, SynapseOrleansOptions> configure)
        where TOptions : class
    {
        services.AddOptions<TOptions>().Configure<IOptions<SynapseOrleansOptions>>((options, orleans) => configure(options, orleans.Value));
        return services;
    }
}
