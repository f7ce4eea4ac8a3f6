using System.Security.Cryptography;

namespace Synapse.Audit;

/// <summary>
/// The head of the chain a writer appends to: its partition, the last committed sequence number,
/// hash and row id. Immutable, so the checkpoint timer can read it while the writer moves on.
/// </summary>
public sealed record AuditPartition(string Id, long Seq, string Hash, long HeadId)
{
    /// <summary>A new, empty partition: sortable by start time, unique by its random suffix.</summary>
    public static AuditPartition Open(DateTimeOffset now)
    {
        var id = $"{now.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        return new AuditPartition(id, 0, AuditChain.Genesis(id), 0);
    }
}
