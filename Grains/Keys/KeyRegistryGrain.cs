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
        state.State.TeamByKey[info.Id] = binding.TeamId;
        await state.WriteStateAsync();
        return new KeyCreationResult(info, secret, Errors: null);
    }

    public Task<IReadOnlyList<string>> ListIds() => Task.FromResult<IReadOnlyList<string>>([.. state.State.KeyIds]);

    public Task<IReadOnlyList<string>> ListTeamIds(string teamId) =>
        Task.FromResult<IReadOnlyList<string>>([.. state.State.KeyIds.Where(id => state.State.TeamByKey.GetValueOrDefault(id) == teamId)]);

    public Task<IReadOnlyDictionary<string, int>> CountByTeam() =>
        Task.FromResult<IReadOnlyDictionary<string, int>>(state.State.TeamByKey.Values.GroupBy(t => t, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));

    /// <summary>Keys issued before the registry remembered teams get theirs once, from the keys themselves.</summary>
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var missing = state.State.KeyIds.Where(id => !state.State.TeamByKey.ContainsKey(id)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var infos = await Task.WhenAll(missing.Select(id => GrainFactory.GetGrain<IApiKeyGrain>(id).GetInfo()));
        foreach (var info in infos.OfType<KeyInfo>())
        {
            state.State.TeamByKey[info.Id] = info.Binding.TeamId;
        }

        await state.WriteStateAsync(cancellationToken);
    }
}
