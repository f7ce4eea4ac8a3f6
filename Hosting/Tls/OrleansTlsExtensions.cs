using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Connections.Security;
using Synapse.Configuration;

namespace Synapse.Hosting.Tls;

/// <summary>
/// Turns on mutual TLS for the Orleans network when <c>Synapse:Orleans:Tls:CertificatePath</c> is
/// set: silo-to-silo links and the gateway port on silos, the gateway connection on front ends
/// (<c>Microsoft.Orleans.Connections.Security</c>). Without it the Orleans ports speak plain,
/// unauthenticated TCP and must only be reachable on a private network. The settings are bound
/// once and checked at start (the files must be there and readable); the connections are
/// configured from them when Orleans builds its connection options.
/// </summary>
public static class OrleansTlsExtensions
{
    public static ISiloBuilder UseSynapseTls(this ISiloBuilder silo, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddOrleansTls(configuration).AddOptions<SiloConnectionOptions>().Configure<OrleansTls>((connections, tls) =>
        {
            if (tls.Options is { } options)
            {
                connections.ConfigureSiloInboundConnection(connection => connection.UseServerTls(options));
                connections.ConfigureGatewayInboundConnection(connection => connection.UseServerTls(options));
                connections.ConfigureSiloOutboundConnection(connection => connection.UseClientTls(options));
            }
        });
        return silo;
    }

    public static IClientBuilder UseSynapseTls(this IClientBuilder client, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.Services.AddOrleansTls(configuration).AddOptions<ClientConnectionOptions>().Configure<OrleansTls>((connections, tls) =>
        {
            if (tls.Options is { } options)
            {
                connections.ConfigureConnection(connection => connection.UseClientTls(options));
            }
        });
        return client;
    }

    private static IServiceCollection AddOrleansTls(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OrleansTlsOptions>, OrleansTlsOptionsValidator>());
        services.AddSynapseOptions<OrleansTlsOptions>(configuration, OrleansTlsOptions.SectionName);
        services.TryAddSingleton(sp => new OrleansTls(sp.GetRequiredService<OrleansTlsOptions>()));
        return services;
    }
}
