using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>
/// The way into the audit log (the silo's audit grain, in a running gateway). An append completes
/// when the record is committed.
/// </summary>
public interface IAuditLog
{
    /// <exception cref="AuditUnavailableException">The log cannot take the record now.</exception>
    Task AppendAsync(AuditRecord record);

    /// <summary>
    /// Appends a record nothing waits on (written after its client has the answer): its commit may
    /// wait a little for another record to share it (<see cref="AuditOptions.DeferrableCommitDelay"/>).
    /// </summary>
    /// <exception cref="AuditUnavailableException">The log cannot take the record now.</exception>
    Task AppendDeferrableAsync(AuditRecord record);
}
