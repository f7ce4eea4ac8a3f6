namespace Synapse.Grains.Interfaces.Dlp;

/// <summary>The stored policy, or the field-level reasons a new one was refused.</summary>
[GenerateSerializer, Immutable, Alias("synapse.DlpPolicyUpdate")]
public sealed record DlpPolicyUpdate(
    [property: Id(0)] DlpPolicyDocument? Policy,
    [property: Id(1)] IReadOnlyDictionary<string, string[]>? Errors);
