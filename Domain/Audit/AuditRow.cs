using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>
/// A stored audit event: the record plus its place in the log (<see cref="Id"/>, 0 before it is
/// inserted) and in its partition's hash chain.
/// </summary>
public sealed record AuditRow(long Id, string PartitionId, long Seq, AuditRecord Record, string PrevHash, string RowHash);
