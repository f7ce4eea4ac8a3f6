using Synapse.Alerts.Delivery;
using Synapse.Persistence.Storage;
using Synapse.Persistence.Alerts;

namespace Synapse.Hosting.Alerts;

/// <summary>
/// Installs the alert tables and starts the delivery loop with the silo's storage stage (so rows
/// left undelivered before a restart go out as soon as the silo is up), and stops it on the way down.
/// </summary>
internal sealed class AlertDeliveryLifecycle(SynapseDatabase database, AlertDispatcher dispatcher) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AlertDeliveryLifecycle), ServiceLifecycleStage.RuntimeStorageServices, StartAsync, dispatcher.StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await AlertSchema.EnsureCreatedAsync(database, cancellationToken);
        dispatcher.Start();
    }
}
