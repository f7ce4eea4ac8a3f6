
namespace Synapse.Audit;

/// <summary>
/// A signed statement, kept outside the database, that partition <see cref="Partition"/> had
/// reached row <see cref="Seq"/> (database id <see cref="HeadId"/>) with hash <see cref="HeadHash"/>
/// at <see cref="At"/>. <see cref="Signature"/> is HMAC-SHA256 with the signing key (see <see cref="AuditCheckpointSigner"/>).
/// </summary>
public sealed record AuditCheckpoint(string Partition, long Seq, long HeadId, string HeadHash, DateTimeOffset At, string Signature);
