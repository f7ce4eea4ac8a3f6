using Synapse.Dlp;
using Synapse.Dlp.Gateway;
using Synapse.Grains.Dlp;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Teams;
using Synapse.Routing;

using Synapse.Keys;

namespace Synapse.Grains.Keys;

[GrainType("synapse.key-registry")]
internal sealed class KeyRegistryGrain(
    [PersistentState("keys", StorageNames.Synapse)] IPersistentState<KeyRegistryState> state,
    ProviderCatalog providers,
    DlpScannerCache scanners,
    TimeProvider timeProvider) : Grain, IKeyRegistryGrain
{
    public async Task<KeyCreationResult> Create(KeyBinding binding)
    {
        var team = await GrainFactory.GetGrain<ITeamRegistryGrain>(ITeamRegistryGrain.SingletonKey).Get(binding.TeamId);
        var errors = KeyBindingValidator.Validate(binding, teamExists: team is not null, providers);
        try
        {
            DlpPolicyDocuments.WithOverrides(await scanners.GlobalPolicyAsync(), binding.Dlp);
        }
        catch (DlpPolicyException e)
        {
            // The engine names the field of its own API; the admin API calls it "dlp".
            var field = e.Field.StartsWith("overrides.", StringComparison.Ordinal) ? "dlp." + e.Field["overrides.".Length..] : e.Field;
            errors[field] = [e.Problem.Length > 0 ? e.Problem : e.Message];
        }

        if (errors.Count > 0)
        {
            return KeyCreationResult.Refused(errors);
        }

        var secret = ApiKeySecrets.Generate();
        var hash = ApiKeySecrets.Hash(secret);
        var info = new KeyInfo(ApiKeySecrets.NewKeyId(), ApiKeySecrets.DisplayPrefix(secret), binding, timeProvider.GetUtcNow(), RevokedAt: null);

        // Key first, lookup second, registry last: a crash in between leaves at worst a key that
        // nobody can use or list, never a lookup that points at nothing.
        await GrainFactory.GetGrain<IApiKeyGrain>(info.Id).Initialize(info, hash);
        await GrainFactory.GetGrain<IKeyLookupGrain>(KeyLookupShards.Of(hash)).Bind(hash, info.Id);
        state.State.KeyIds.Add(info.Id);
        await state.WriteStateAsync();
        return new KeyCreationResult(info, secret, Errors: null);
    }

    public Task<IReadOnlyList<string>> ListIds() => Task.FromResult<IReadOnlyList<string>>([.. state.State.KeyIds]);
}
