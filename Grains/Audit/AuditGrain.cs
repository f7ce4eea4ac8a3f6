using Synapse.Grains.Interfaces.Audit;

using Synapse.Audit;

namespace Synapse.Grains.Audit;

/// <summary>
/// The way into the silo's <see cref="AuditBatchWriter"/>: stateless and reentrant, so any number
/// of callers wait for their group commits side by side.
/// </summary>
/// <remarks>
/// Its workers (one per core, -1) are kept rather than removed when idle: under steady load
/// Orleans' idle-worker controller removed and re-created one every few seconds, and each removal
/// threw and caught an exception inside Orleans (the worker loop runs with the activity of the
/// request that first called the grain, long stopped, and the deactivation restores it). Kept
/// workers go the way of any idle activation, after the collection age.
/// </remarks>
[StatelessWorker(-1, removeIdleWorkers: false), Reentrant]
[GrainType("synapse.audit")]
internal sealed class AuditGrain(AuditBatchWriter writer) : Grain, IAuditGrain
{
    public Task Append(AuditRecord record) => writer.AppendAsync(record);

    public Task AppendDeferrable(AuditRecord record) => writer.AppendDeferrableAsync(record);

    public Task AppendBatch(IReadOnlyList<AuditRecord> records) => writer.AppendAsync(records);
}
