using Orleans.Runtime;
using Synapse.Providers;
using Synapse.Requests;
using Synapse.Routing;
using Synapse.Telemetry;

namespace Synapse.Hosting.Telemetry;

/// <summary>Reports this silo's provider circuits and held requests while the silo runs.</summary>
internal sealed class SiloGauges(ProviderCatalog catalog, ProviderHealth health, RequestsInFlight inFlight) : ILifecycleParticipant<ISiloLifecycle>
{
    private IDisposable? _circuits;
    private IDisposable? _inFlight;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SiloGauges), ServiceLifecycleStage.ApplicationServices, Start, Stop);

    private Task Start(CancellationToken cancellationToken)
    {
        _circuits = GatewayMetrics.ObserveCircuits(() => catalog.Routes.Select(r => (r.Name, health.StateOf(r.Name))));
        _inFlight = GatewayMetrics.ObserveInFlight(() => inFlight.Count);
        return Task.CompletedTask;
    }

    private Task Stop(CancellationToken cancellationToken)
    {
        _circuits?.Dispose();
        _inFlight?.Dispose();
        return Task.CompletedTask;
    }
}
