namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// Either a new key with its secret (shown to the caller once, never stored) or the
/// field-level reasons it was refused.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.KeyCreationResult")]
public sealed record KeyCreationResult(
    [property: Id(0)] KeyInfo? Key,
    [property: Id(1)] string? Secret,
    [property: Id(2)] IReadOnlyDictionary<string, string[]>? Errors)
{
    public static KeyCreationResult Refused(IReadOnlyDictionary<string, string[]> errors) => new(null, null, errors);
}
