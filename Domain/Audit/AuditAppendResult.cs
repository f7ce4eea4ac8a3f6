
namespace Synapse.Audit;

/// <summary>
/// What <see cref="IAuditStore.AppendAsync"/> did: committed every row (<see cref="LastId"/> the
/// highest id written), or committed nothing, listing the batch's event ids already stored (the
/// caller drops them, re-chains the rest and tries again). A batch refused with none of its events
/// stored hit something else — a row someone put at one of its sequence numbers — and the caller
/// fails it: an empty list never means "committed".
/// </summary>
public sealed record AuditAppendResult
{
    private AuditAppendResult(bool committed, long lastId, IReadOnlyList<Guid> alreadyPresent) =>
        (Committed, LastId, AlreadyPresent) = (committed, lastId, alreadyPresent);

    public bool Committed { get; }

    public long LastId { get; }

    public IReadOnlyList<Guid> AlreadyPresent { get; }

    /// <summary>Every row committed; <paramref name="lastId"/> the highest id written.</summary>
    public static AuditAppendResult Written(long lastId) => new(true, lastId, []);

    /// <summary>Nothing committed; <paramref name="alreadyPresent"/> the batch's event ids found stored (maybe none).</summary>
    public static AuditAppendResult NotWritten(IReadOnlyList<Guid> alreadyPresent) => new(false, 0, alreadyPresent);
}
