namespace Synapse.Grains.Interfaces.Keys;

/// <summary>Which <see cref="IKeyLookupGrain"/> shard holds a secret hash: its first hex digit.</summary>
public static class KeyLookupShards
{
    /// <summary>Sixteen shards: enough to spread lookups over a small cluster's silos, few enough to stay resident.</summary>
    public const int Count = 16;

    public static string Of(string secretSha256)
    {
        ArgumentException.ThrowIfNullOrEmpty(secretSha256);
        return secretSha256[..1];
    }
}
