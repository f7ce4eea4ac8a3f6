using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Dlp;
using Synapse.Grains.Keys;
using Synapse.Keys;
using Synapse.Grains.Providers;
using Synapse.Providers;
using Synapse.Routing;

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
        services.AddDlpScannerCache();
        ProviderHttpClients.Register(services, configuration);
        services.AddHostedService<OllamaModelDiscovery>();
        return services;
    }

    /// <summary>Compiled DLP scanners over the policy grain: for silos and for front ends (the admin API's DLP test).</summary>
    public static IServiceCollection AddDlpScannerCache(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDlpPolicySource, GrainDlpPolicySource>();
        services.TryAddSingleton<DlpScannerCache>();
        return services;
    }
}
