using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Synapse.Audit;

/// <summary>
/// Signs chain heads: HMAC-SHA256 over <c>"synapse-audit-checkpoint-v1\n" + partition + "\n" + seq +
/// "\n" + headId + "\n" + headHash + "\n" + at</c> (time as <see cref="AuditText.TimeFormat"/>).
/// </summary>
public sealed class AuditCheckpointSigner(AuditKeys keys)
{
    public AuditCheckpoint Sign(string partition, long seq, long headId, string headHash, DateTimeOffset at)
    {
        var time = AuditText.TruncateToMicroseconds(at);
        return new AuditCheckpoint(partition, seq, headId, headHash, time, Mac(partition, seq, headId, headHash, time));
    }

    public bool IsValid(AuditCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        if (checkpoint.Signature is not { Length: 64 })
        {
            return false;
        }

        var expected = Mac(checkpoint.Partition, checkpoint.Seq, checkpoint.HeadId, checkpoint.HeadHash, checkpoint.At);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(checkpoint.Signature));
    }

    private string Mac(string partition, long seq, long headId, string headHash, DateTimeOffset at)
    {
        var payload = string.Create(CultureInfo.InvariantCulture, $"synapse-audit-checkpoint-v1\n{partition}\n{seq}\n{headId}\n{headHash}\n{AuditText.FormatTime(at)}");
        return Convert.ToHexStringLower(HMACSHA256.HashData(keys.SigningKey, Encoding.UTF8.GetBytes(payload)));
    }
}
