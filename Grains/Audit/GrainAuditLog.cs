using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Grains.Audit;

/// <summary>The audit log as the domain sees it: the silo's audit grain (a stateless worker on the caller's silo).</summary>
internal sealed class GrainAuditLog(IGrainFactory grains) : IAuditLog
{
    // One reference for every event: GetGrain resolves the interface and builds a reference each time.
    private IAuditGrain? _grain;

    public Task AppendAsync(AuditRecord record) => Grain.Append(record);

    public Task AppendDeferrableAsync(AuditRecord record) => Grain.AppendDeferrable(record);

    private IAuditGrain Grain => _grain ??= grains.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey);
}
