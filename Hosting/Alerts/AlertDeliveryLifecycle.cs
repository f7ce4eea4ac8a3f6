using Synapse.Alerts.Delivery;
using Synapse.Persistence.Storage;
using Synapse.Persistence.Alerts;

namespace Synapse.Hosting.Alerts;

/// <summary>
/// Starts the delivery loop with the silo's storage stage (so rows
/// left undelivered before a restart go out as soon as the silo is up), and stops it on the way down.
/// </summary>
internal sealed class AlertDeliveryLifecycle(AlertDispatcher dispatcher) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AlertDeliveryLifecycle), ServiceLifecycleStage.RuntimeStorageServices, StartAsync, dispatcher.StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        dispatcher.Start();
        return Task.CompletedTask;
    }
}
