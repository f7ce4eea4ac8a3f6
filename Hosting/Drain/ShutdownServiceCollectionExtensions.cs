using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Synapse.Configuration;
using Synapse.Requests;

namespace Synapse.Hosting.Drain;

public static class ShutdownServiceCollectionExtensions
{
    /// <summary><see cref="ShutdownOptions"/> bound once and checked at start, for the silo's drain.</summary>
    public static IServiceCollection AddSynapseShutdownOptions(this IServiceCollection services, IConfiguration configuration) =>
        services.AddSynapseOptions<ShutdownOptions>(configuration, ShutdownOptions.SectionName).Services;

    /// <summary>
    /// The settings, the drain delay (<see cref="DrainDelayLifecycle"/>), and the host's shutdown
    /// timeout set to the delay plus the grace period. The host reads its <see cref="HostOptions"/>
    /// when it is built, before <c>ValidateOnStart</c> runs, so they are read now: the one early
    /// read of these settings, through the validator the host runs at start (a wrong value stops
    /// the composition with the same one line).
    /// </summary>
    public static IServiceCollection AddSynapseShutdown(this IServiceCollection services, IConfiguration configuration, Action<HostOptions>? configureHost = null)
    {
        var shutdownTimeout = OptionsReader.Read<ShutdownOptions>(configuration, ShutdownOptions.SectionName).ShutdownTimeout;
        services.AddSynapseShutdownOptions(configuration);
        services.TryAddSingleton<DrainState>();
        services.TryAddSingleton<ShutdownCutOff>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DrainDelayLifecycle>());
        return services.Configure<HostOptions>(host =>
        {
            host.ShutdownTimeout = shutdownTimeout;
            configureHost?.Invoke(host);
        });
    }
}
