using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>
/// The hash chain (docs/audit.md): <c>row_hash = SHA-256("synapse-audit-row-v1" ‖ fields)</c> where
/// each field, in a fixed order ending with <c>prev_hash</c>, is a 4-byte big-endian length (or
/// -1 for NULL) followed by its UTF-8 text. A partition's first row chains from
/// <c>SHA-256("synapse-audit-genesis-v1\n" + partition id)</c>.
/// </summary>
public static class AuditChain
{
    private static readonly byte[] RowPrefix = Encoding.ASCII.GetBytes("synapse-audit-row-v1");

    public static string Genesis(string partitionId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("synapse-audit-genesis-v1\n" + partitionId)));

    public static string RowHash(string partitionId, long seq, AuditRecord record, string prevHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(RowPrefix);
        Field(hash, partitionId);
        Field(hash, Number(seq));
        Field(hash, record.EventId.ToString("D"));
        Field(hash, AuditText.Kind(record.Kind));
        Field(hash, AuditText.FormatTime(record.Time));
        Field(hash, record.RequestId);
        Field(hash, record.KeyId);
        Field(hash, record.TeamId);
        Field(hash, record.Model);
        Field(hash, record.Provider);
        Field(hash, AuditText.Location(record.ProviderLocation));
        Field(hash, record.Outcome);
        Field(hash, Number(record.HttpStatus));
        Field(hash, AuditText.List(record.DlpCategories));
        Field(hash, AuditText.List(record.DlpActions));
        Field(hash, record.PromptSha256);
        Field(hash, record.ResponseSha256);
        Field(hash, Number(record.PromptTokens));
        Field(hash, Number(record.CompletionTokens));
        Field(hash, Number(record.LatencyMs));
        Field(hash, record.Actor);
        Field(hash, record.Action);
        Field(hash, record.Target);
        Field(hash, record.Api);
        Field(hash, record.ClientAddress);
        Field(hash, record.UserAgent);
        Field(hash, record.Detail);
        Field(hash, Number(record.Count));
        Field(hash, prevHash);
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string? Number(long? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static void Field(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        if (value is null)
        {
            BinaryPrimitives.WriteInt32BigEndian(length, -1);
            hash.AppendData(length);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }
}
