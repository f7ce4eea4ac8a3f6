namespace Synapse.Grains.Interfaces.Audit;

/// <summary>
/// The way into the audit log (a stateless worker on the caller's silo; use key
/// <see cref="DefaultKey"/>). Each call completes only when its records are committed to the
/// database, so a caller that awaits <see cref="Append"/> before forwarding a request knows the
/// <c>request</c> event is durable. Fails with <see cref="AuditUnavailableException"/> when the
/// store cannot take the records; appending the same <see cref="AuditRecord.EventId"/> again is a no-op.
/// </summary>
[Alias("synapse.IAuditGrain")]
public interface IAuditGrain : IGrainWithIntegerKey
{
    public const long DefaultKey = 0;

    [Alias("Append")]
    Task Append(AuditRecord record);

    /// <summary>
    /// As <see cref="Append"/>, for a record nothing waits on (written after its client has the
    /// answer): its commit may wait briefly for another record to share it.
    /// </summary>
    [Alias("AppendDeferrable")]
    Task AppendDeferrable(AuditRecord record);

    [Alias("AppendBatch")]
    Task AppendBatch(IReadOnlyList<AuditRecord> records);
}
