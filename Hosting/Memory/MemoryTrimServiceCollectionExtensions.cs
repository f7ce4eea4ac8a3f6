using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Synapse.Configuration;

namespace Synapse.Hosting.Memory;

public static class MemoryTrimServiceCollectionExtensions
{
    /// <summary>The idle memory trim (<see cref="MemoryTrimOptions"/>), once per process.</summary>
    public static IServiceCollection AddSynapseMemoryTrim(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSynapseOptions<MemoryTrimOptions>(configuration, MemoryTrimOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, IdleMemoryTrim>());
        return services;
    }
}
