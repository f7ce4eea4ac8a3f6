using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Grains.Keys;

/// <summary>
/// One shard of the secret-hash map. Its memory and storage grow with the keys that were issued,
/// and nothing else: resolving an unknown hash reads the resident dictionary and answers null. A
/// key holds at most two entries — its secret and the one its last rotation replaced — because each
/// rotation unbinds the secret the rotation before it replaced.
/// </summary>
[GrainType("synapse.key-lookup")]
internal sealed class KeyLookupGrain(
    [PersistentState("shard", StorageNames.Synapse)] IPersistentState<KeyLookupState> state) : Grain, IKeyLookupGrain
{
    public async Task Bind(string secretSha256, string keyId)
    {
        RequireOwnShard(secretSha256);
        if (state.State.KeyIdsByHash.TryGetValue(secretSha256, out var bound))
        {
            // A second key with the same 256-bit secret hash is not a thing that happens by chance.
            if (bound != keyId)
            {
                throw new InvalidOperationException("This secret hash is already bound to another key.");
            }

            return;
        }

        state.State.KeyIdsByHash[secretSha256] = keyId;
        await state.WriteStateAsync();
    }

    public async Task Unbind(string secretSha256, string keyId)
    {
        RequireOwnShard(secretSha256);
        if (state.State.KeyIdsByHash.TryGetValue(secretSha256, out var bound) && bound == keyId)
        {
            state.State.KeyIdsByHash.Remove(secretSha256);
            await state.WriteStateAsync();
        }
    }

    public Task<string?> Resolve(string secretSha256) =>
        Task.FromResult(state.State.KeyIdsByHash.GetValueOrDefault(secretSha256));

    private void RequireOwnShard(string secretSha256)
    {
        if (secretSha256 is not { Length: 64 } || KeyLookupShards.Of(secretSha256) != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("A secret hash is bound in the shard named by its first hex digit.", nameof(secretSha256));
        }
    }
}
