using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Synapse.Audit;
using Synapse.Configuration;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Audit;
using Synapse.Grains.Dlp;
using Synapse.Providers;
using Synapse.Requests;
using Synapse.Routing;

namespace Synapse.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>The services the grains use: the request pipeline, the provider catalog and clients, and the clock.</summary>
    public static IServiceCollection AddSynapseGrainServices(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddProviderCatalog(configuration);
        services.AddSingleton<ProviderClientFactory>();
        services.AddSingleton<ProviderHealth>();
        services.AddSynapseOptions<RequestLimitsOptions>(configuration, RequestLimitsOptions.SectionName);
        services.AddSingleton<RequestPreparer>();
        services.AddSingleton<FailoverCaller>();
        services.AddSingleton<ProviderCallRunner>();
        services.TryAddSingleton<RequestsInFlight>();
        services.TryAddSingleton<ShutdownCutOff>();
        services.TryAddSingleton(new RequestHeartbeat(TimeSpan.FromSeconds(1)));
        services.AddSynapseGrainClientServices();
        ProviderHttpClients.Register(services, configuration);
        services.AddHostedService<OllamaModelDiscovery>();
        return services;
    }

    /// <summary>
    /// What any process that calls the grains needs (silos, and front ends in either mode): the
    /// audit log behind its grain with the builder and writer of request events, the screen of the
    /// client's text in them, and compiled DLP scanners over the policy grain (the admin API's DLP
    /// test, the screen's custom categories).
    /// </summary>
    public static IServiceCollection AddSynapseGrainClientServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IAuditLog, GrainAuditLog>();
        services.TryAddSingleton<AuditClientScreen>();
        services.TryAddSingleton<RequestAuditEvents>();
        services.TryAddSingleton<RequestAuditWriter>();
        services.TryAddSingleton<IDlpPolicySource, GrainDlpPolicySource>();
        services.TryAddSingleton<DlpScannerCache>();
        return services;
    }
}
