namespace Synapse.Grains.Interfaces.Dlp;

/// <summary>
/// The stored policy, or the field-level reasons a new one was refused, or — for a replacement
/// made on the condition of a version — the version that is current instead.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.DlpPolicyUpdate")]
public sealed record DlpPolicyUpdate(
    [property: Id(0)] DlpPolicyDocument? Policy,
    [property: Id(1)] IReadOnlyDictionary<string, string[]>? Errors,
    [property: Id(2)] long? CurrentVersion = null);
