using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Grains.Audit;

/// <summary>The audit log as the domain sees it: the silo's audit grain (a stateless worker on the caller's silo).</summary>
internal sealed class GrainAuditLog(IGrainFactory grains) : IAuditLog
{
    public Task AppendAsync(AuditRecord record) => grains.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).Append(record);
}
