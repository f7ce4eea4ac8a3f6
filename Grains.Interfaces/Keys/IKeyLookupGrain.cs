namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// Maps a key's secret to its id, by the lower-case hex SHA-256 of the secret, so the lookup never
/// sees or stores the secret itself. The map is split into <see cref="KeyLookupShards.Count"/>
/// shards (grain key: <see cref="KeyLookupShards.Of"/>) rather than one grain per secret: a guessed
/// secret then costs a call to a grain that already exists, never an activation, a storage read or
/// memory of its own, however many are guessed.
/// </summary>
[Alias("synapse.IKeyLookupGrain")]
public interface IKeyLookupGrain : IGrainWithStringKey
{
    [Alias("BindInShard")]
    Task Bind(string secretSha256, string keyId);

    /// <summary>Forgets a hash bound to <paramref name="keyId"/> (a secret a rotation replaced); any other binding stays.</summary>
    [Alias("UnbindInShard")]
    Task Unbind(string secretSha256, string keyId);

    [Alias("ResolveInShard"), ReadOnly]
    Task<string?> Resolve(string secretSha256);
}
