using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Synapse.Alerts;
using Synapse.Grains.Alerts;
using Synapse.Alerts.Delivery;
using Synapse.Alerts.Outbox;
using Synapse.Persistence.Storage;
using Synapse.Persistence.Alerts;

using Synapse.Persistence.Schema;

namespace Synapse.Hosting.Alerts;

public static class AlertSiloBuilderExtensions
{
    /// <summary>
    /// Anomaly alerts on a silo: the validated settings (start-up fails on a bad or refused webhook),
    /// the activity grains' services, the outbox in <paramref name="database"/>, the webhook
    /// HttpClient and the delivery loop (started with the silo, after the tables are installed).
    /// </summary>
    public static ISiloBuilder AddSynapseAlerts(this ISiloBuilder silo, IConfiguration configuration, SynapseDatabase database)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(database);
        silo.AddSynapseSchema(database);
        var services = silo.Services;
        services.TryAddSingleton(database);
        services.TryAddSingleton(_ => AlertStores.Create(database));
        services.TryAddSingleton<AlertDispatcher>();
        services.TryAddSingleton<IAlertSink, AlertOutboxSink>();
        services.AddSynapseAlertDetection(configuration);
        services.AddWebhookHttpClient();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, AlertDeliveryLifecycle>();
        return silo;
    }
}
