namespace Synapse.Grains.Interfaces.Keys;

/// <summary>What became of a rotation, and the key as it is after it (null for no key).</summary>
[GenerateSerializer, Immutable, Alias("synapse.KeyRotationResult")]
public sealed record KeyRotationResult(
    [property: Id(0)] KeyRotationOutcome Outcome,
    [property: Id(1)] KeyInfo? Key);
