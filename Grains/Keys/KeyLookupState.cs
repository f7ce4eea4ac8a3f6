namespace Synapse.Grains.Keys;

/// <summary>One shard of the secret-hash → key-id map: only issued keys, never guesses.</summary>
public sealed class KeyLookupState
{
    public Dictionary<string, string> KeyIdsByHash { get; set; } = new(StringComparer.Ordinal);
}
