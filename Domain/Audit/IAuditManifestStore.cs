
namespace Synapse.Audit;

/// <summary>
/// The database copy of the manifest (<c>audit_manifest</c>, append-only like the rows). Every
/// writer of a cluster appends to the same chain, so appends are serialised by the database.
/// </summary>
public interface IAuditManifestStore
{
    /// <summary>
    /// In one transaction that excludes other appenders: reads the newest record (null when the
    /// manifest is empty), asks <paramref name="next"/> for the record that follows it, inserts and
    /// commits that record, and returns it.
    /// </summary>
    Task<AuditManifestRecord> AppendAsync(Func<AuditManifestRecord?, AuditManifestRecord> next, CancellationToken cancellationToken);

    /// <summary>
    /// The newest row of a partition in <c>audit_events</c> (null when it has none): where a
    /// partition really ends after a commit whose outcome is unknown.
    /// </summary>
    Task<AuditRow?> ReadLastRowAsync(string partitionId, CancellationToken cancellationToken);

    /// <summary>Every record in <c>seq</c> order, streamed.</summary>
    IAsyncEnumerable<AuditManifestRecord> ReadAllAsync(CancellationToken cancellationToken);

    /// <summary>The first <paramref name="count"/> records in <c>seq</c> order.</summary>
    Task<IReadOnlyList<AuditManifestRecord>> ReadFirstAsync(int count, CancellationToken cancellationToken);

    /// <summary>The records of one partition in <c>seq</c> order.</summary>
    Task<IReadOnlyList<AuditManifestRecord>> ReadPartitionAsync(string partitionId, CancellationToken cancellationToken);
}
