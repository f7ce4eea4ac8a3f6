using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Synapse.Grains.Dlp.Gateway;
using Synapse.Grains.Keys;
using Synapse.Grains.Providers;
using Synapse.Grains.Routing;

namespace Synapse.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>The services the grains use: the provider catalog, provider clients and the clock.</summary>
    public static IServiceCollection AddSynapseGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(_ => ProviderCatalog.FromConfiguration(configuration));
        services.AddSingleton<ProviderClientFactory>();
        services.AddSingleton<ProviderHealth>();
        services.AddSingleton<KeyAdmission>();
        services.AddSingleton<ProviderCallRunner>();
        services.TryAddSingleton<DlpScannerCache>();
        ProviderHttpClients.Register(services, configuration);
        services.AddHostedService<OllamaModelDiscovery>();
        return services;
    }
}
