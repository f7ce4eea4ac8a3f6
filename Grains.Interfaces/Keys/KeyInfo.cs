namespace Synapse.Grains.Interfaces.Keys;

/// <summary>What the admin API may show about a key: never its secret or a secret's hash.</summary>
[GenerateSerializer, Immutable, Alias("synapse.KeyInfo")]
public sealed record KeyInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] string Prefix,
    [property: Id(2)] KeyBinding Binding,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? RevokedAt)
{
    /// <summary>When the secret was last replaced (<see cref="IApiKeyGrain.Rotate"/>); null for the secret it was issued with.</summary>
    [Id(5)]
    public DateTimeOffset? RotatedAt { get; init; }

    /// <summary>
    /// Until when the secret the last rotation replaced is still taken (the overlap); at or before
    /// <see cref="RotatedAt"/> when it stopped at once. Null when the key was never rotated.
    /// </summary>
    [Id(6)]
    public DateTimeOffset? PreviousSecretEndsAt { get; init; }
}
