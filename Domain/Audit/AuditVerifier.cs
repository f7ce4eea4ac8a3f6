using System.Globalization;

namespace Synapse.Audit;

/// <summary>
/// Verifies the whole log against its signed manifest (docs/audit.md). First the manifest alone
/// (<see cref="AuditManifestCheck"/>); then every row in id order: it must belong to a partition
/// the manifest lists (an unknown partition is a forgery), follow its predecessor in sequence and
/// chain, carry the MAC of its content (v2, or v1 for a sealed first-release partition), match
/// every signed head at its sequence and not follow its partition's end; finally every partition
/// must still hold the rows its newest record covers (deleted rows). It fails when there is
/// nothing to check against: no manifest record at all.
/// </summary>
public sealed class AuditVerifier(IAuditStore store, AuditManifest manifest, AuditChain chain)
{
    public async Task<AuditVerificationResult> VerifyAsync(CancellationToken cancellationToken)
    {
        var check = await CheckManifestAsync(cancellationToken).ConfigureAwait(false);
        var progress = new Progress(check);
        if (check.Failure is not null)
        {
            return progress.Broken(null, check.Failure);
        }

        var heads = progress.Heads;
        long lastId = 0;
        await using var rows = store.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await rows.MoveNextAsync().ConfigureAwait(false))
                {
                    break;
                }
            }
            catch (UnreadableAuditRowException e)
            {
                // A value no Synapse writer produces (an unknown kind, a malformed time): the row was not written by one.
                return progress.Broken(e.RowId, e.RowId is { } id
                    ? Invariant($"Row {id} cannot be read ({e.Reason}): it was not written by a Synapse writer.")
                    : Invariant($"The row after id {lastId} cannot be read ({e.Reason}): it was not written by a Synapse writer."));
            }

            var row = rows.Current;
            lastId = row.Id;
            if (progress.Check.Records.Count == 0)
            {
                return progress.Broken(row.Id, "The log holds rows but no manifest record: there is nothing to check them against. The manifest was deleted from both copies, or the log was written by the first release and never sealed (audit seal-legacy).");
            }

            if (!progress.Partitions.ContainsKey(row.PartitionId))
            {
                // A partition opened after the manifest was read (a writer that just started) is
                // listed by now; a forged one never is.
                progress.Check = await CheckManifestAsync(cancellationToken).ConfigureAwait(false);
                if (progress.Check.Failure is not null)
                {
                    return progress.Broken(null, progress.Check.Failure);
                }

                progress.AddNewPartitions();
                if (!progress.Partitions.ContainsKey(row.PartitionId))
                {
                    return progress.Broken(row.Id, $"Row belongs to partition {row.PartitionId}, which the signed manifest does not list: it was not written by a Synapse writer.", row.PartitionId);
                }
            }

            var partition = progress.Partitions[row.PartitionId];
            var (expectedSeq, expectedPrev) = heads.TryGetValue(row.PartitionId, out var head)
                ? (head.Seq + 1, head.Hash)
                : (1L, partition.IsLegacy ? AuditLegacyChain.Genesis(row.PartitionId) : chain.Genesis(row.PartitionId));
            if (CheckRow(row, partition, expectedSeq, expectedPrev) is { } problem)
            {
                return progress.Broken(row.Id, problem, row.PartitionId);
            }

            heads[row.PartitionId] = (row.Seq, row.RowHash);
            progress.Rows++;
            progress.RowsByPartition[row.PartitionId] = progress.RowsByPartition.GetValueOrDefault(row.PartitionId) + 1;
            progress.LegacyRows += partition.IsLegacy ? 1 : 0;
        }

        foreach (var partition in progress.Partitions.Values)
        {
            var present = heads.TryGetValue(partition.Id, out var head) ? head.Seq : 0;
            if (present < partition.Last.PartitionSeq)
            {
                var last = partition.Last;
                return progress.Broken(last.HeadId, Invariant(
                    $"Partition {partition.Id} ends at sequence {present}, but manifest record {last.Seq} ({last.Kind}, signed at {AuditText.FormatTime(last.At)}) covers sequence {last.PartitionSeq} (id {last.HeadId}): rows were deleted."), partition.Id);
            }
        }

        return progress.Check.Records.Count == 0
            ? progress.Broken(null, "The log is empty and has no manifest record: there is nothing to check. A writer that has started leaves at least its partition's opening record.")
            : progress.Result(ok: true);
    }

    /// <summary>
    /// Whether one row is intact under its partition's rule (for proving a single event without
    /// verifying the whole log): its MAC; or, in a sealed first-release partition, its v1 hash and
    /// the chain from it to the head the partition's signed <c>legacy</c> record fixes. Whether
    /// rows are missing around it is for <see cref="VerifyAsync"/> to say.
    /// </summary>
    public async Task<bool> IsRowIntactAsync(AuditRow row, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (chain.IsIntact(row))
        {
            return true;
        }

        var records = await manifest.ReadPartitionAsync(row.PartitionId, cancellationToken).ConfigureAwait(false);
        var seal = records.FirstOrDefault(r => r.Kind == AuditManifestKinds.Legacy && manifest.Signer.IsValid(r));
        return seal is not null && row.Seq <= seal.PartitionSeq && AuditLegacyChain.IsIntact(row)
            && await ChainsToSealAsync(row, seal, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Whether the rows after a first-release row lead, each by its prev_hash and v1 hash, to the
    /// head its partition was sealed at. The v1 hash is unkeyed: whoever edits the row can compute
    /// it again, and only the signed head, reached through every later row, fixes its content.
    /// It costs the partition's rows after this one.
    /// </summary>
    private async Task<bool> ChainsToSealAsync(AuditRow row, AuditManifestRecord seal, CancellationToken cancellationToken)
    {
        var previous = row;
        await foreach (var next in store.ReadPartitionAsync(row.PartitionId, row.Seq + 1, cancellationToken).ConfigureAwait(false))
        {
            if (next.Seq > seal.PartitionSeq)
            {
                break;
            }

            if (next.Seq != previous.Seq + 1 || !string.Equals(next.PrevHash, previous.RowHash, StringComparison.Ordinal) || !AuditLegacyChain.IsIntact(next))
            {
                return false;
            }

            previous = next;
        }

        return previous.Seq == seal.PartitionSeq && string.Equals(previous.RowHash, seal.Head, StringComparison.Ordinal);
    }

    private string? CheckRow(AuditRow row, AuditPartitionManifest partition, long expectedSeq, string expectedPrev)
    {
        if (row.Seq != expectedSeq)
        {
            var what = row.Seq > expectedSeq ? "rows are missing before it" : "it is out of order";
            return Invariant($"Row has sequence {row.Seq} in partition {row.PartitionId} where {expectedSeq} was expected: {what}.");
        }

        if (!string.Equals(row.PrevHash, expectedPrev, StringComparison.Ordinal))
        {
            return "Row's prev_hash does not match the previous row of its partition.";
        }

        if (partition.IsFinal && row.Seq > partition.Last.PartitionSeq)
        {
            return Invariant($"Row follows the end of partition {row.PartitionId}, which manifest record {partition.Last.Seq} ends at sequence {partition.Last.PartitionSeq}: it was added.");
        }

        var intact = partition.IsLegacy ? AuditLegacyChain.IsIntact(row) : chain.IsIntact(row);
        if (!intact)
        {
            return partition.IsLegacy
                ? "Row's content does not match its row_hash under the first release's rule: it was modified."
                : "Row's content does not match its MAC (row_hash): it was modified, or written without the signing key.";
        }

        if (partition.At(row.Seq) is { } signed && (signed.Head != row.RowHash || signed.HeadId != row.Id))
        {
            return Invariant($"Row differs from manifest record {signed.Seq}, which signed this partition's head at sequence {row.Seq}: the log up to it was rewritten.");
        }

        return null;
    }

    private async Task<AuditManifestCheck> CheckManifestAsync(CancellationToken cancellationToken) =>
        AuditManifestCheck.Run(await manifest.ReadAsync(cancellationToken).ConfigureAwait(false), manifest.Signer);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Progress(AuditManifestCheck check)
    {
        public AuditManifestCheck Check { get; set; } = check;

        /// <summary>
        /// The partitions rows are checked against: as first read, plus those opened since, taken
        /// at their opening record only. Their later records may cover rows committed after the
        /// rows were read, which would otherwise look deleted.
        /// </summary>
        public Dictionary<string, AuditPartitionManifest> Partitions { get; } = new(check.Partitions, StringComparer.Ordinal);

        public void AddNewPartitions()
        {
            foreach (var (id, partition) in Check.Partitions)
            {
                Partitions.TryAdd(id, new AuditPartitionManifest(partition.First));
            }
        }

        public long Rows { get; set; }

        public long LegacyRows { get; set; }

        /// <summary>Each partition's verified head (sequence and hash) so far.</summary>
        public Dictionary<string, (long Seq, string Hash)> Heads { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> RowsByPartition { get; } = new(StringComparer.Ordinal);

        private string? BrokenPartition { get; set; }

        public AuditVerificationResult Broken(long? id, string reason, string? partition = null)
        {
            BrokenPartition = partition;
            return Result(ok: false) with { FirstBrokenId = id, Reason = reason };
        }

        public AuditVerificationResult Result(bool ok) => new()
        {
            Ok = ok,
            Checked = Rows,
            Partitions = Check.Partitions.Count,
            OpenPartitions = Check.Partitions.Values.Count(p => !p.IsFinal),
            LegacyRows = LegacyRows,
            Checkpoints = Check.Records.Count,
            CheckpointsInDatabase = Check.Contents.Database.Count,
            CheckpointsInDirectory = Check.Contents.Directory.DistinctBy(r => r.Seq).Count(),
            NewestCheckpointAt = Check.Records.Count > 0 ? Check.Records[^1].At : null,
            ByPartition = [.. Check.Partitions.Values.OrderBy(p => p.First.At).ThenBy(p => p.Id, StringComparer.Ordinal).Select(p => new AuditPartitionVerification(
                p.Id,
                Ok: ok ? true : BrokenPartition == p.Id ? false : null,
                RowsByPartition.GetValueOrDefault(p.Id),
                Heads.TryGetValue(p.Id, out var head) ? head.Seq : 0,
                p.Records,
                Open: !p.IsFinal,
                Legacy: p.IsLegacy,
                p.First.At,
                p.Last.At))],
        };
    }
}
