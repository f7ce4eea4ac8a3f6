using System.Security.Cryptography;

namespace Synapse.Audit;

/// <summary>
/// Makes and checks manifest records: <c>mac = HMAC-SHA256(manifestKey, "synapse-audit-manifest-v2"
/// ‖ seq ‖ prev ‖ kind ‖ partition ‖ partitionSeq ‖ headId ‖ head ‖ at)</c>, length-prefixed fields
/// (<see cref="AuditFieldEncoding"/>), the time as <see cref="AuditText.TimeFormat"/>. The first
/// record's <c>prev</c> is <see cref="Genesis"/>.
/// </summary>
public sealed class AuditManifestSigner(AuditKeys keys)
{
    public static readonly string Genesis = new('0', 64);

    /// <summary>The record that follows <paramref name="previous"/> (null: the manifest is empty).</summary>
    public AuditManifestRecord Next(AuditManifestRecord? previous, string kind, AuditPartition head, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(head);
        var unsigned = new AuditManifestRecord(
            (previous?.Seq ?? 0) + 1, previous?.Mac ?? Genesis, kind, head.Id, head.Seq, head.HeadId, head.Hash, AuditText.TruncateToMicroseconds(at), string.Empty);
        return unsigned with { Mac = Mac(unsigned) };
    }

    public bool IsValid(AuditManifestRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return AuditChain.HexEquals(Mac(record), record.Mac);
    }

    private string Mac(AuditManifestRecord r)
    {
        var fields = new AuditFieldEncoding("synapse-audit-manifest-v2")
            .Add(r.Seq)
            .Add(r.Prev)
            .Add(r.Kind)
            .Add(r.Partition)
            .Add(r.PartitionSeq)
            .Add(r.HeadId)
            .Add(r.Head)
            .Add(AuditText.FormatTime(r.At));
        return Convert.ToHexStringLower(HMACSHA256.HashData(keys.ManifestKey, fields.Bytes));
    }
}
