using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Grains.Keys;

[GrainType("synapse.key-lookup")]
internal sealed class KeyLookupGrain(
    [PersistentState("lookup", StorageNames.Synapse)] IPersistentState<KeyLookupState> state) : Grain, IKeyLookupGrain
{
    public async Task Bind(string keyId)
    {
        if (state.State.KeyId is { } bound)
        {
            // A second key with the same 256-bit secret hash is not a thing that happens by chance.
            if (bound != keyId)
            {
                throw new InvalidOperationException("This secret hash is already bound to another key.");
            }

            return;
        }

        state.State.KeyId = keyId;
        await state.WriteStateAsync();
    }

    public Task<string?> Resolve() => Task.FromResult(state.State.KeyId);
}
