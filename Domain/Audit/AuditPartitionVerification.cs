namespace Synapse.Audit;

/// <summary>
/// One partition's part of a verification: whether it held (<see cref="Ok"/>: true when the whole
/// log held, false for the partition of the first broken row or of deleted rows, null for the
/// others then, as verification stops at the first break), how many of its rows were checked up to
/// which sequence, how many signed manifest records ("checkpoints") it has, and whether it is
/// still open (its writer running, or stopped abruptly) or a sealed first-release partition.
/// </summary>
public sealed record AuditPartitionVerification(
    string Id,
    bool? Ok,
    long Checked,
    long HeadSeq,
    int Checkpoints,
    bool Open,
    bool Legacy,
    DateTimeOffset OpenedAt,
    DateTimeOffset LastSignedAt);
