using System.Globalization;

namespace Synapse.Audit;

/// <summary>
/// Checks the manifest on its own, before any row is read: every record carries a valid MAC; the
/// two copies agree wherever both hold a record; together they form one unbroken chain from the
/// first record; each partition opens once, moves forward and ends at most once; and each copy
/// holds what it should (the database every record of the directory, the directory every record
/// of the database except, after a crash, a partition's newest one). The result is the partitions
/// the rows are then checked against, or the first failure.
/// </summary>
internal sealed class AuditManifestCheck
{
    private AuditManifestCheck(Dictionary<string, AuditPartitionManifest> partitions, List<AuditManifestRecord> records, AuditManifestContents contents, string? failure)
    {
        Partitions = partitions;
        Records = records;
        Contents = contents;
        Failure = failure;
    }

    public IReadOnlyDictionary<string, AuditPartitionManifest> Partitions { get; }

    /// <summary>Both copies merged, in chain order.</summary>
    public IReadOnlyList<AuditManifestRecord> Records { get; }

    public AuditManifestContents Contents { get; }

    public string? Failure { get; }

    public static AuditManifestCheck Run(AuditManifestContents contents, AuditManifestSigner signer)
    {
        var partitions = new Dictionary<string, AuditPartitionManifest>(StringComparer.Ordinal);
        var merged = new List<AuditManifestRecord>();
        var failure = Check(contents, signer, partitions, merged);
        return new AuditManifestCheck(partitions, merged, contents, failure);
    }

    private static string? Check(AuditManifestContents contents, AuditManifestSigner signer, Dictionary<string, AuditPartitionManifest> partitions, List<AuditManifestRecord> merged)
    {
        if (contents.UnreadableLines.Count > 0)
        {
            return $"The checkpoint directory's {contents.UnreadableLines[0]} is not a manifest record: the file was altered.";
        }

        var forged = contents.Database.Select(r => (Record: r, Where: "in the database"))
            .Concat(contents.Directory.Select(r => (Record: r, Where: "in the checkpoint directory")))
            .FirstOrDefault(r => !AuditManifestKinds.IsKnown(r.Record.Kind) || !signer.IsValid(r.Record));
        if (forged.Record is not null)
        {
            return Invariant($"Manifest record {forged.Record.Seq} {forged.Where} does not carry a valid MAC: it was forged or altered, or signed with another key.");
        }

        var database = new Dictionary<long, AuditManifestRecord>();
        foreach (var record in contents.Database)
        {
            database[record.Seq] = record;
        }

        var directory = new Dictionary<long, AuditManifestRecord>();
        foreach (var record in contents.Directory)
        {
            if (directory.TryGetValue(record.Seq, out var other) && other != record)
            {
                return Invariant($"The checkpoint directory holds two different manifest records numbered {record.Seq}.");
            }

            directory[record.Seq] = record;
        }

        foreach (var (seq, record) in database)
        {
            if (directory.TryGetValue(seq, out var copy) && copy != record)
            {
                return Invariant($"The database and the checkpoint directory disagree on manifest record {seq}.");
            }
        }

        merged.AddRange(database.Values.Concat(directory.Values).DistinctBy(r => r.Seq).OrderBy(r => r.Seq));
        return CheckChain(merged, partitions)
            ?? CheckCopies(contents, database, directory, partitions);
    }

    private static string? CheckChain(List<AuditManifestRecord> records, Dictionary<string, AuditPartitionManifest> partitions)
    {
        var previous = (AuditManifestRecord?)null;
        foreach (var record in records)
        {
            var expected = (previous?.Seq ?? 0) + 1;
            if (record.Seq != expected)
            {
                return Invariant($"Manifest record {expected} is missing from both copies (the next one is {record.Seq}): records were deleted, and with them what they covered.");
            }

            if (record.Prev != (previous?.Mac ?? AuditManifestSigner.Genesis))
            {
                return Invariant($"Manifest record {record.Seq} does not follow record {expected - 1}: the manifest was rewritten.");
            }

            if (Place(record, partitions) is { } misplaced)
            {
                return misplaced;
            }

            previous = record;
        }

        return null;
    }

    private static string? Place(AuditManifestRecord record, Dictionary<string, AuditPartitionManifest> partitions)
    {
        if (record.Kind is AuditManifestKinds.Open or AuditManifestKinds.Legacy)
        {
            if (!partitions.TryAdd(record.Partition, new AuditPartitionManifest(record)))
            {
                return Invariant($"Manifest record {record.Seq} opens partition {record.Partition} a second time.");
            }

            return null;
        }

        if (!partitions.TryGetValue(record.Partition, out var partition))
        {
            return Invariant($"Manifest record {record.Seq} is a {record.Kind} of partition {record.Partition}, which was never opened.");
        }

        if (partition.IsFinal || record.PartitionSeq < partition.Last.PartitionSeq)
        {
            return Invariant($"Manifest record {record.Seq} goes back in partition {record.Partition}, or follows its end.");
        }

        partition.Add(record);
        return null;
    }

    private static string? CheckCopies(AuditManifestContents contents, Dictionary<long, AuditManifestRecord> database, Dictionary<long, AuditManifestRecord> directory, Dictionary<string, AuditPartitionManifest> partitions)
    {
        if (database.Count > 0 && directory.Count == 0)
        {
            return Invariant($"The checkpoint directory {contents.DirectoryPath} holds none of the database's {database.Count} manifest records: it was emptied, or it is not the directory the writers use (Synapse:Audit:CheckpointDirectory must name the same directory on every silo and front end).");
        }

        var deleted = directory.Keys.Where(seq => !database.ContainsKey(seq)).Order().FirstOrDefault();
        if (deleted != 0)
        {
            return Invariant($"Manifest record {deleted} is in the checkpoint directory but not in the database: it was deleted from the database.");
        }

        // A writer that stops between its two writes leaves its partition's newest record in the
        // database only; every other record must have reached the directory.
        var uncopied = database.Values
            .Where(r => !directory.ContainsKey(r.Seq) && partitions[r.Partition].Last.Seq != r.Seq)
            .OrderBy(r => r.Seq)
            .FirstOrDefault();
        return uncopied is null
            ? null
            : Invariant($"Manifest record {uncopied.Seq} is in the database but missing from the checkpoint directory {contents.DirectoryPath}: the copy outside the database was altered.");
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
