using System.Globalization;

namespace Synapse.Audit;

/// <summary>
/// Recomputes every partition's hash chain in id order and compares it with the signed
/// checkpoints: an edited row (hash mismatch), a deleted row (sequence gap), reordered rows
/// (sequence out of id order), a rewritten chain (head differs from a checkpoint) and deleted
/// newest rows (a checkpoint beyond the partition's last row) are all reported.
/// </summary>
public sealed class AuditVerifier(IAuditStore store, AuditCheckpointLog checkpoints, AuditCheckpointSigner signer)
{
    public async Task<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var byPartition = new Dictionary<string, SortedDictionary<long, AuditCheckpoint>>(StringComparer.Ordinal);
        foreach (var checkpoint in checkpoints.ReadAll())
        {
            if (checkpoint is null || !signer.IsValid(checkpoint))
            {
                return AuditVerificationResult.Broken(0, checkpoint?.HeadId, "A checkpoint's signature is not valid (the checkpoint file was altered or signed with another key).");
            }

            if (!byPartition.TryGetValue(checkpoint.Partition, out var list))
            {
                byPartition[checkpoint.Partition] = list = [];
            }

            list[checkpoint.Seq] = checkpoint;
        }

        var heads = new Dictionary<string, (long Seq, string Hash, long Id)>(StringComparer.Ordinal);
        long verified = 0;
        await foreach (var row in store.ReadAllAsync(cancellationToken))
        {
            var (expectedSeq, expectedPrev) = heads.TryGetValue(row.PartitionId, out var head)
                ? (head.Seq + 1, head.Hash)
                : (1L, AuditChain.Genesis(row.PartitionId));

            if (row.Seq != expectedSeq)
            {
                var what = row.Seq > expectedSeq ? "rows are missing before it" : "it is out of order";
                return Broken(verified, row.Id, $"Row has sequence {row.Seq} in partition {row.PartitionId} where {expectedSeq} was expected: {what}.");
            }

            if (!string.Equals(row.PrevHash, expectedPrev, StringComparison.Ordinal))
            {
                return Broken(verified, row.Id, "Row's prev_hash does not match the previous row of its partition.");
            }

            if (!string.Equals(AuditChain.RowHash(row.PartitionId, row.Seq, row.Record, row.PrevHash), row.RowHash, StringComparison.Ordinal))
            {
                return Broken(verified, row.Id, "Row's content does not match its row_hash: it was modified.");
            }

            if (byPartition.TryGetValue(row.PartitionId, out var signed) && signed.TryGetValue(row.Seq, out var checkpoint)
                && !string.Equals(checkpoint.HeadHash, row.RowHash, StringComparison.Ordinal))
            {
                return Broken(verified, row.Id, "Row's hash differs from the signed checkpoint: the chain up to it was rewritten.");
            }

            heads[row.PartitionId] = (row.Seq, row.RowHash, row.Id);
            verified++;
        }

        foreach (var (partition, signed) in byPartition)
        {
            var last = signed.Values.Last();
            var present = heads.TryGetValue(partition, out var head) ? head.Seq : 0;
            if (present < last.Seq)
            {
                return Broken(verified, last.HeadId, string.Create(CultureInfo.InvariantCulture,
                    $"Partition {partition} ends at sequence {present}, but a checkpoint signed at {AuditText.FormatTime(last.At)} covers sequence {last.Seq} (id {last.HeadId}): rows were deleted."));
            }
        }

        return new AuditVerificationResult(true, verified);
    }

    private static AuditVerificationResult Broken(long verified, long id, string reason) => AuditVerificationResult.Broken(verified, id, reason);
}
