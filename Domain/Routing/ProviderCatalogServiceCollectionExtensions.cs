using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synapse.Configuration;

namespace Synapse.Routing;

public static class ProviderCatalogServiceCollectionExtensions
{
    /// <summary>The providers of <c>Synapse:Providers</c>, bound once and checked when the host starts.</summary>
    public static IServiceCollection AddProviderCatalog(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ProviderCatalogOptions>>(new ProviderCatalogValidator(configuration)));
        services.AddSynapseOptions<ProviderCatalogOptions>(configuration, ProviderCatalog.SectionName);
        services.TryAddSingleton(sp => ProviderCatalog.From(sp.GetRequiredService<ProviderCatalogOptions>()));
        return services;
    }
}
