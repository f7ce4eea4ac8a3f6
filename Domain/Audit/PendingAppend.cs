using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>A record waiting for its group commit and the task its caller awaits; or, without a record, a tick of the checkpoint timer that wakes the writer.</summary>
internal sealed class PendingAppend(AuditRecord? record)
{
    public static readonly PendingAppend Tick = new(null);

    public AuditRecord? Record { get; } = record;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
