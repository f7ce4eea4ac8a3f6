using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Synapse.Configuration;

namespace Synapse.Alerts;

public static class AlertServiceCollectionExtensions
{
    /// <summary>
    /// What the activity grains need: the <see cref="AlertOptions"/> (bound once, checked when the
    /// host starts, each bad setting named), the business calendar, the clock, and a sink that
    /// drops alerts unless a real one (the silo's outbox) is registered.
    /// </summary>
    public static IServiceCollection AddSynapseAlertDetection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AlertOptions>, AlertOptionsStartupCheck>());
        services.AddSynapseOptions<AlertOptions>(configuration, AlertOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => BusinessCalendar.TryParse(sp.GetRequiredService<AlertOptions>(), [])
            ?? throw new InvalidOperationException($"{AlertOptions.SectionName}:BusinessHours, BusinessDays or TimeZone is invalid."));
        services.TryAddSingleton<IAlertSink, DiscardingAlertSink>();
        return services;
    }

    private sealed class DiscardingAlertSink : IAlertSink
    {
        public Task PublishAsync(IReadOnlyList<AlertEvent> alerts, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
