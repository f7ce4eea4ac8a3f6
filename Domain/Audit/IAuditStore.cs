
namespace Synapse.Audit;

/// <summary>
/// The <c>audit_events</c> table (PostgreSQL or SQLite, in Silo/Audit). Writes are append-only:
/// there is no update or delete.
/// </summary>
public interface IAuditStore
{
    /// <summary>
    /// Inserts <paramref name="rows"/> in one transaction, all or nothing, in order. When any
    /// row's event id is already stored nothing is committed and those ids are returned. Throws on
    /// any other failure (then nothing or everything may have been committed).
    /// </summary>
    Task<AuditAppendResult> AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken);

    /// <summary>Every row in id order, streamed.</summary>
    IAsyncEnumerable<AuditRow> ReadAllAsync(CancellationToken cancellationToken);

    Task<AuditRow?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>One partition's rows from sequence <paramref name="fromSeq"/> on, in sequence order, streamed.</summary>
    IAsyncEnumerable<AuditRow> ReadPartitionAsync(string partitionId, long fromSeq, CancellationToken cancellationToken);

    /// <summary>One page, newest first.</summary>
    Task<IReadOnlyList<AuditRow>> QueryAsync(AuditQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// One key's events at or after <paramref name="since"/>, a recent time, that its rate window
    /// counts (<see cref="RateLimiting.RateWindowEvents"/>), in id order. Found through the time
    /// index: it costs the rows since then, never the key's history.
    /// </summary>
    Task<IReadOnlyList<AuditRow>> RateWindowAsync(string keyId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>The rows whose time is in [<paramref name="from"/>, <paramref name="to"/>), in id order, streamed.</summary>
    IAsyncEnumerable<AuditRow> ExportAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken);
}
