using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Synapse.Alerts;

public static class AlertServiceCollectionExtensions
{
    /// <summary>
    /// What the activity grains need: the validated <see cref="AlertOptions"/>, the business
    /// calendar, the clock, and a sink that drops alerts unless a real one (the silo's outbox) is
    /// registered. Throws when the settings are invalid, naming each bad setting.
    /// </summary>
    public static IServiceCollection AddSynapseAlertDetection(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(AlertOptions.SectionName).Get<AlertOptions>() ?? new();
        var errors = AlertOptionsValidator.Validate(options);
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid alert settings: " + string.Join(" ", errors));
        }

        var calendarErrors = new List<string>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(options);
        services.TryAddSingleton(BusinessCalendar.TryParse(options, calendarErrors)!);
        services.TryAddSingleton<IAlertSink, DiscardingAlertSink>();
        return services;
    }

    private sealed class DiscardingAlertSink : IAlertSink
    {
        public Task PublishAsync(IReadOnlyList<AlertEvent> alerts, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
