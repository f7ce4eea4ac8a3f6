
namespace Synapse.Audit;

/// <summary>
/// One record of the signed manifest of partitions (docs/audit.md): number <see cref="Seq"/> of one
/// chain shared by every writer, chained to its predecessor by <see cref="Prev"/> (that record's
/// <see cref="Mac"/>), stating that partition <see cref="Partition"/> was opened, had reached row
/// <see cref="PartitionSeq"/> (id <see cref="HeadId"/>) with row MAC <see cref="Head"/>, was
/// closed there, or was sealed there as a first-release partition (<see cref="AuditManifestKinds"/>).
/// <see cref="Mac"/> is HMAC-SHA256 with the manifest key (see <see cref="AuditManifestSigner"/>).
/// </summary>
public sealed record AuditManifestRecord(
    long Seq,
    string Prev,
    string Kind,
    string Partition,
    long PartitionSeq,
    long HeadId,
    string Head,
    DateTimeOffset At,
    string Mac);
