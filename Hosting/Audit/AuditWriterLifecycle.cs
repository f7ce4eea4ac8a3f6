using Orleans.Runtime;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Persistence.Storage;
using Synapse.Persistence.Audit;

namespace Synapse.Hosting.Audit;

/// <summary>
/// Starts the writer before grains take calls (the schema is installed earlier, at the first stage), and stops it (draining
/// the queue, writing a last checkpoint) after they are gone: the storage stage brackets both.
/// </summary>
internal sealed class AuditWriterLifecycle(AuditBatchWriter writer) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AuditWriterLifecycle), ServiceLifecycleStage.RuntimeStorageServices, StartAsync, writer.StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        writer.Start();
        return Task.CompletedTask;
    }
}
