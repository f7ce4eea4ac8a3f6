
namespace Synapse.Audit;

/// <summary>
/// What <see cref="IAuditStore.AppendAsync"/> did: committed every row (<see cref="AlreadyPresent"/>
/// empty, <see cref="LastId"/> the highest id written), or committed nothing because the listed
/// event ids are already stored (the caller drops them, re-chains the rest and tries again).
/// </summary>
public sealed record AuditAppendResult(long LastId, IReadOnlyList<Guid> AlreadyPresent)
{
    public bool Committed => AlreadyPresent.Count == 0;
}
