
namespace Synapse.Audit;

/// <summary>
/// A checkpoint line of the first release (<c>{partition}.jsonl</c>): partition
/// <see cref="Partition"/> had reached row <see cref="Seq"/> (id <see cref="HeadId"/>) with v1 hash
/// <see cref="HeadHash"/> at <see cref="At"/>, signed with HMAC-SHA256 of the signing key itself.
/// Only read when an operator seals such a log (<see cref="AuditLegacySeal"/>).
/// </summary>
public sealed record AuditLegacyCheckpoint(string Partition, long Seq, long HeadId, string HeadHash, DateTimeOffset At, string Signature);
