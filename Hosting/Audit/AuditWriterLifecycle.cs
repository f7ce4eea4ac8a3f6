using Orleans.Runtime;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Persistence.Storage;
using Synapse.Persistence.Audit;

namespace Synapse.Hosting.Audit;

/// <summary>
/// Installs the audit schema and starts the writer before grains take calls, and stops it (draining
/// the queue, writing a last checkpoint) after they are gone: the storage stage brackets both.
/// </summary>
internal sealed class AuditWriterLifecycle(SynapseDatabase database, AuditBatchWriter writer) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AuditWriterLifecycle), ServiceLifecycleStage.RuntimeStorageServices, StartAsync, writer.StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await AuditSchema.EnsureCreatedAsync(database, cancellationToken);
        writer.Start();
    }
}
