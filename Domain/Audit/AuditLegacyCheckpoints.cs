using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Synapse.Audit;

/// <summary>
/// Reads the first release's checkpoint files (<c>{directory}/{partition}.jsonl</c>, not the
/// manifest copies) and checks their signatures: HMAC-SHA256 with the signing key over
/// <c>"synapse-audit-checkpoint-v1\n" + partition + "\n" + seq + "\n" + headId + "\n" + headHash + "\n" + at</c>.
/// A last line without its line break was cut off by a crash and is skipped; any other line that
/// does not parse comes back as null.
/// </summary>
public sealed class AuditLegacyCheckpoints(string directory, byte[] signingKey)
{
    public IEnumerable<AuditLegacyCheckpoint?> ReadAll()
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        var files = Directory.EnumerateFiles(directory, "*.jsonl")
            .Where(path => !path.EndsWith(AuditCheckpointDirectory.Extension, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
        foreach (var path in files)
        {
            foreach (var line in JsonLines.ReadComplete(path))
            {
                yield return Parse(line.Text);
            }
        }
    }

    public bool IsValid(AuditLegacyCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var payload = string.Create(CultureInfo.InvariantCulture,
            $"synapse-audit-checkpoint-v1\n{checkpoint.Partition}\n{checkpoint.Seq}\n{checkpoint.HeadId}\n{checkpoint.HeadHash}\n{AuditText.FormatTime(checkpoint.At)}");
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(signingKey, Encoding.UTF8.GetBytes(payload)));
        return AuditChain.HexEquals(expected, checkpoint.Signature);
    }

    private static AuditLegacyCheckpoint? Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, AuditJsonContext.Default.AuditLegacyCheckpoint);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
