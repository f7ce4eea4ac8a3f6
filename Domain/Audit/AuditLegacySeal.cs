using System.Globalization;

namespace Synapse.Audit;

/// <summary>
/// Brings a log written by the first release (rows chained with the unkeyed v1 rule, checkpoint
/// files signed with the signing key itself, no manifest) under the manifest, once, at an
/// operator's request (<c>audit seal-legacy</c>). It verifies the old log under its own rule
/// first (sequence, chain, v1 hash, and every old checkpoint it can read: signature, head, rows
/// still present) and refuses if anything is wrong. Then it appends one signed <c>legacy</c>
/// record per partition fixing its last row: from then on those rows keep verifying under the v1
/// rule, nothing can follow them, and a consistent rewrite of them no longer matches the signed
/// heads. It is never automatic: an empty manifest over existing rows is also what a deleted
/// manifest looks like, and sealing that would bless whatever the rows have become.
/// </summary>
public sealed class AuditLegacySeal(IAuditStore store, AuditManifest manifest, TimeProvider time)
{
    public async Task<AuditLegacySealResult> SealAsync(AuditLegacyCheckpoints checkpoints, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        var contents = await manifest.ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!contents.IsEmpty)
        {
            return new AuditLegacySealResult
            {
                Reason = $"The log already has a manifest ({contents.Database.Count} records in the database, {contents.Directory.Count} in the checkpoint directory): there is nothing to seal. Run 'audit verify'.",
            };
        }

        var signed = new Dictionary<(string Partition, long Seq), AuditLegacyCheckpoint>();
        foreach (var checkpoint in checkpoints.ReadAll())
        {
            if (checkpoint is null || !checkpoints.IsValid(checkpoint))
            {
                return new AuditLegacySealResult { Reason = "A first-release checkpoint does not parse or its signature is not valid (altered, or the legacy signing key is not the one it was signed with)." };
            }

            signed[(checkpoint.Partition, checkpoint.Seq)] = checkpoint;
        }

        var heads = new Dictionary<string, AuditRow>(StringComparer.Ordinal);
        long rows = 0;
        await foreach (var row in store.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var (expectedSeq, expectedPrev) = heads.TryGetValue(row.PartitionId, out var head) ? (head.Seq + 1, head.RowHash) : (1L, AuditLegacyChain.Genesis(row.PartitionId));
            var problem = row.Seq != expectedSeq ? Invariant($"Row has sequence {row.Seq} in partition {row.PartitionId} where {expectedSeq} was expected.")
                : row.PrevHash != expectedPrev ? "Row's prev_hash does not match the previous row of its partition."
                : !AuditLegacyChain.IsIntact(row) ? "Row's content does not match its row_hash under the first release's rule: it was modified (or written by a later release)."
                : signed.TryGetValue((row.PartitionId, row.Seq), out var checkpoint) && checkpoint.HeadHash != row.RowHash ? "Row differs from the first release's signed checkpoint at its sequence: the log up to it was rewritten."
                : null;
            if (problem is not null)
            {
                return new AuditLegacySealResult { Rows = rows, FirstBrokenId = row.Id, Reason = problem };
            }

            heads[row.PartitionId] = row;
            rows++;
        }

        var beyond = signed.Values.FirstOrDefault(c => !heads.TryGetValue(c.Partition, out var head) || head.Seq < c.Seq);
        if (beyond is not null)
        {
            return new AuditLegacySealResult { Rows = rows, FirstBrokenId = beyond.HeadId, Reason = Invariant($"A first-release checkpoint covers sequence {beyond.Seq} of partition {beyond.Partition}, which the database no longer holds: rows were deleted.") };
        }

        var first = true;
        foreach (var head in heads.Values.OrderBy(r => r.Id))
        {
            var sealedHead = new AuditPartition(head.PartitionId, head.Seq, head.RowHash, head.Id);
            var isFirst = first;
            await manifest.AppendAsync(AuditManifestKinds.Legacy, sealedHead, time.GetUtcNow(), previous => !isFirst || previous is null, cancellationToken).ConfigureAwait(false);
            first = false;
        }

        return new AuditLegacySealResult { Sealed = true, Partitions = heads.Count, Rows = rows, LegacyCheckpoints = signed.Count };
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
