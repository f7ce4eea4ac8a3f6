using System.Security.Cryptography;
using System.Text;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>
/// The first release's unkeyed rule (v1): <c>row_hash = SHA-256("synapse-audit-row-v1" ‖ 23 fields
/// ‖ prev_hash)</c>, from <c>SHA-256("synapse-audit-genesis-v1\n" + partition id)</c>. Anyone can
/// compute it, so it is only trusted for partitions that an operator sealed into the manifest
/// (<see cref="AuditLegacySeal"/>), whose heads the signed manifest then fixes. The fields added
/// since (api, client address, user agent, detail, count) did not exist: a v1 row must have them NULL.
/// </summary>
public static class AuditLegacyChain
{
    private const string RowPrefix = "synapse-audit-row-v1";

    public static string Genesis(string partitionId)
    {
        ArgumentNullException.ThrowIfNull(partitionId);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("synapse-audit-genesis-v1\n" + partitionId)));
    }

    public static string RowHash(string partitionId, long seq, AuditRecord record, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        var fields = AuditChain.AddCommonFields(new AuditFieldEncoding(RowPrefix), partitionId, seq, record).Add(prevHash);
        return Convert.ToHexStringLower(SHA256.HashData(fields.Bytes));
    }

    /// <summary>Whether the row could have been written by the first release and is intact under its rule.</summary>
    public static bool IsIntact(AuditRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var r = row.Record;
        return r.Api is null && r.ClientAddress is null && r.UserAgent is null && r.Detail is null && r.Count is null
            && AuditChain.HexEquals(RowHash(row.PartitionId, row.Seq, r, row.PrevHash), row.RowHash);
    }
}
