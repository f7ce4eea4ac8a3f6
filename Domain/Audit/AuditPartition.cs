using System.Security.Cryptography;

namespace Synapse.Audit;

/// <summary>
/// The head of the chain a writer appends to: its partition, the last committed sequence number,
/// MAC and row id. Immutable, so a checkpoint can read it while the writer moves on.
/// </summary>
public sealed record AuditPartition(string Id, long Seq, string Hash, long HeadId)
{
    /// <summary>A new, empty partition: sortable by start time, unique by its random suffix.</summary>
    public static AuditPartition Open(DateTimeOffset now, AuditChain chain)
    {
        ArgumentNullException.ThrowIfNull(chain);
        var id = $"{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        return new AuditPartition(id, 0, chain.Genesis(id), 0);
    }
}
