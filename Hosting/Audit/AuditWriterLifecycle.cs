using Synapse.Audit;

namespace Synapse.Hosting.Audit;

/// <summary>
/// Checks the log and starts the writer before grains take calls (the schema is installed earlier,
/// at the first stage), and stops it (draining the queue, writing the closing record) after they
/// are gone: the storage stage brackets both.
/// </summary>
internal sealed class AuditWriterLifecycle(AuditLogStartCheck check, AuditBatchWriter writer) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(AuditWriterLifecycle), ServiceLifecycleStage.RuntimeStorageServices, StartAsync, writer.StopAsync);

    private async Task StartAsync(CancellationToken cancellationToken)
    {
        await check.RunAsync(cancellationToken).ConfigureAwait(false);
        await writer.StartAsync(cancellationToken).ConfigureAwait(false);
    }
}
