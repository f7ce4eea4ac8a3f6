
namespace Synapse.Audit;

/// <summary>What the manifest says about one partition: its records in order, by row sequence.</summary>
internal sealed class AuditPartitionManifest
{
    private readonly Dictionary<long, AuditManifestRecord> _bySeq = [];

    public AuditPartitionManifest(AuditManifestRecord first)
    {
        Id = first.Partition;
        IsLegacy = first.Kind == AuditManifestKinds.Legacy;
        First = first;
        Last = first;
        _bySeq[first.PartitionSeq] = first;
        Records = 1;
    }

    public string Id { get; }

    /// <summary>A first-release partition: its rows follow the unkeyed v1 rule.</summary>
    public bool IsLegacy { get; }

    /// <summary>The opening (or legacy) record.</summary>
    public AuditManifestRecord First { get; }

    public AuditManifestRecord Last { get; private set; }

    /// <summary>How many manifest records this partition has (two may state the same sequence).</summary>
    public int Records { get; private set; }

    /// <summary>Closed or sealed: no row may follow <see cref="Last"/>.</summary>
    public bool IsFinal => AuditManifestKinds.IsFinal(Last.Kind);

    public void Add(AuditManifestRecord record)
    {
        _bySeq[record.PartitionSeq] = record;
        Last = record;
        Records++;
    }

    /// <summary>The record that states the head at <paramref name="seq"/>, if any.</summary>
    public AuditManifestRecord? At(long seq) => _bySeq.GetValueOrDefault(seq);
}
