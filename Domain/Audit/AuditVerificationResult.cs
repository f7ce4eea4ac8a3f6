using System.Text.Json.Serialization;

namespace Synapse.Audit;

/// <summary>
/// The verdict of <see cref="AuditVerifier"/> and what it rests on: <see cref="Checked"/> rows
/// verified (before the break, when there is one), the partitions and manifest records
/// ("checkpoints") they were checked against, how many records each copy holds, and the newest
/// record's time (history after it is covered by row MACs only). When <see cref="Ok"/> is false,
/// <see cref="Reason"/> names columns, ids and files, never content.
/// </summary>
public sealed record AuditVerificationResult
{
    public bool Ok { get; init; }

    /// <summary>Rows whose MAC, sequence and chain were verified.</summary>
    public long Checked { get; init; }

    public int Partitions { get; init; }

    /// <summary>Partitions without a closing record: a writer still writing them, or one that stopped abruptly.</summary>
    public int OpenPartitions { get; init; }

    /// <summary>Rows of sealed first-release partitions, verified under the unkeyed v1 rule.</summary>
    public long LegacyRows { get; init; }

    /// <summary>Manifest records (opening, checkpoint, closing and legacy records) in either copy.</summary>
    public int Checkpoints { get; init; }

    public int CheckpointsInDatabase { get; init; }

    public int CheckpointsInDirectory { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? NewestCheckpointAt { get; init; }

    /// <summary>The result per partition, oldest first.</summary>
    public IReadOnlyList<AuditPartitionVerification> ByPartition { get; init; } = [];

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FirstBrokenId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }
}
