using Synapse.Grains.Interfaces.Audit;

using Synapse.Audit;

namespace Synapse.Grains.Audit;

/// <summary>
/// The way into the silo's <see cref="AuditBatchWriter"/>: stateless and reentrant, so any number
/// of callers wait for their group commits side by side.
/// </summary>
[StatelessWorker, Reentrant]
[GrainType("synapse.audit")]
internal sealed class AuditGrain(AuditBatchWriter writer) : Grain, IAuditGrain
{
    public Task Append(AuditRecord record) => writer.AppendAsync(record);

    public Task AppendDeferrable(AuditRecord record) => writer.AppendDeferrableAsync(record);

    public Task AppendBatch(IReadOnlyList<AuditRecord> records) => writer.AppendAsync(records);
}
