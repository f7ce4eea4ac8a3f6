namespace Synapse.Grains.Keys;

/// <summary>One shard of the secret-hash → key-id map: the secrets of issued keys (at most two a key: its own and the one its last rotation replaced), never guesses.</summary>
public sealed class KeyLookupState
{
    public Dictionary<string, string> KeyIdsByHash { get; set; } = new(StringComparer.Ordinal);
}
