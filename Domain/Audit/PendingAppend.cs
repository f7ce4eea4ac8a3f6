using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>A record waiting for its group commit, and the task its caller awaits.</summary>
internal sealed class PendingAppend(AuditRecord record)
{
    public AuditRecord Record { get; } = record;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
