using System.Security.Cryptography;
using Microsoft.Extensions.ObjectPool;
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
public sealed class AuditChain
{
    private const string RowPrefix = "synapse-audit-row-v2";

    // A one-shot HMAC sets its key up again on every call, which costs twice the hash itself
    // (AuditRowMacBenchmarks); pooled HMAC instances keep the keyed state and reset after each use.
    private readonly ObjectPool<IncrementalHash> _macs;

    public AuditChain(AuditKeys keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var rowKey = keys.RowKey.ToArray();
        _macs = new DefaultObjectPool<IncrementalHash>(new HmacPolicy(rowKey), Environment.ProcessorCount * 2);
    }

    public string Genesis(string partitionId)
    {
        ArgumentNullException.ThrowIfNull(partitionId);
        return Mac(Encoding.UTF8.GetBytes("synapse-audit-genesis-v2\n" + partitionId));
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
        return Mac(fields.Bytes);
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

    private string Mac(ReadOnlySpan<byte> data)
    {
        // Returned only once reset: an instance left mid-row by an exception is dropped, not reused.
        var hmac = _macs.Get();
        hmac.AppendData(data);
        Span<byte> mac = stackalloc byte[32];
        hmac.GetHashAndReset(mac);
        _macs.Return(hmac);
        return Convert.ToHexStringLower(mac);
    }

    internal static bool HexEquals(string expected, string? actual) =>
        actual is not null && actual.Length == expected.Length
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));

    private sealed class HmacPolicy(byte[] key) : PooledObjectPolicy<IncrementalHash>
    {
        public override IncrementalHash Create() => IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);

        // GetHashAndReset has left it ready for the next row.
        public override bool Return(IncrementalHash obj) => true;
    }
}
