using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>A record waiting for its group commit and the task its caller awaits; or, without a record, a tick of the checkpoint timer that wakes the writer.</summary>
internal sealed class PendingAppend(AuditRecord? record, bool deferrable = false)
{
    public static readonly PendingAppend Tick = new(null);

    public AuditRecord? Record { get; } = record;

    /// <summary>Nothing waits on this record: it may wait for another to share its commit (<see cref="AuditOptions.DeferrableCommitDelay"/>).</summary>
    public bool Deferrable { get; } = deferrable;

    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
