namespace Synapse.Grains.Interfaces.Keys;

/// <summary>What the admin API may show about a key: never its secret or the secret's hash.</summary>
[GenerateSerializer, Immutable, Alias("synapse.KeyInfo")]
public sealed record KeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Prefix,
    [property: Id(2)] KeyBinding Binding,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? RevokedAt);
