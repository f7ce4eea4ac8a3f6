using System.Text.Json.Serialization;

namespace Synapse.Audit;

/// <summary>What <see cref="AuditLegacySeal"/> did: sealed the first release's partitions, or why not.</summary>
public sealed record AuditLegacySealResult
{
    public bool Sealed { get; init; }

    public int Partitions { get; init; }

    public long Rows { get; init; }

    /// <summary>The first release's checkpoints whose signature and head were checked before sealing.</summary>
    public int LegacyCheckpoints { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? FirstBrokenId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Reason { get; init; }
}
