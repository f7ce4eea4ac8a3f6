using System.Security.Cryptography;
using System.Text;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>
/// The keyed row chain (docs/audit.md, rule v2): <c>row_hash = HMAC-SHA256(rowKey,
/// "synapse-audit-row-v2" ‖ fields)</c>, the fields in a fixed order ending with <c>prev_hash</c>
/// (see <see cref="AuditFieldEncoding"/>), the row key derived from the signing key. A partition's
/// first row chains from <c>HMAC-SHA256(rowKey, "synapse-audit-genesis-v2\n" + partition id)</c>.
/// Whoever lacks the signing key cannot compute a row that verifies, so rows added with INSERT
/// alone, or rewritten by a database superuser, are detected.
/// </summary>
public sealed class AuditChain(AuditKeys keys)
{
    private const string RowPrefix = "synapse-audit-row-v2";

    public string Genesis(string partitionId)
    {
        ArgumentNullException.ThrowIfNull(partitionId);
        return Convert.ToHexStringLower(HMACSHA256.HashData(keys.RowKey, Encoding.UTF8.GetBytes("synapse-audit-genesis-v2\n" + partitionId)));
    }

    public string RowHash(string partitionId, long seq, AuditRecord record, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        var fields = new AuditFieldEncoding(RowPrefix);
        AddCommonFields(fields, partitionId, seq, record)
            .Add(record.Api)
            .Add(record.ClientAddress)
            .Add(record.UserAgent)
            .Add(record.Detail)
            .Add(record.Count)
            .Add(prevHash);
        return Convert.ToHexStringLower(HMACSHA256.HashData(keys.RowKey, fields.Bytes));
    }

    /// <summary>Whether the row's stored MAC is the one its content gives (constant time).</summary>
    public bool IsIntact(AuditRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        return HexEquals(RowHash(row.PartitionId, row.Seq, row.Record, row.PrevHash), row.RowHash);
    }

    /// <summary>The fields both rules share, in the first release's order.</summary>
    internal static AuditFieldEncoding AddCommonFields(AuditFieldEncoding fields, string partitionId, long seq, AuditRecord record) =>
        fields
            .Add(partitionId)
            .Add(seq)
            .Add(record.EventId.ToString("D"))
            .Add(AuditText.Kind(record.Kind))
            .Add(AuditText.FormatTime(record.Time))
            .Add(record.RequestId)
            .Add(record.KeyId)
            .Add(record.TeamId)
            .Add(record.Model)
            .Add(record.Provider)
            .Add(AuditText.Location(record.ProviderLocation))
            .Add(record.Outcome)
            .Add(record.HttpStatus)
            .Add(AuditText.List(record.DlpCategories))
            .Add(AuditText.List(record.DlpActions))
            .Add(record.PromptSha256)
            .Add(record.ResponseSha256)
            .Add(record.PromptTokens)
            .Add(record.CompletionTokens)
            .Add(record.LatencyMs)
            .Add(record.Actor)
            .Add(record.Action)
            .Add(record.Target);

    internal static bool HexEquals(string expected, string? actual) =>
        actual is not null && actual.Length == expected.Length
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
}
