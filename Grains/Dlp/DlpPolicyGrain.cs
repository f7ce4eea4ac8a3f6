using Microsoft.Extensions.Logging;
using Synapse.Grains.Interfaces.Dlp;
using Synapse.Dlp;
using Synapse.Dlp.Gateway;

namespace Synapse.Grains.Dlp;

[GrainType("synapse.dlp-policy")]
internal sealed partial class DlpPolicyGrain(
    [PersistentState("policy", StorageNames.Synapse)] IPersistentState<DlpPolicyState> state,
    ILogger<DlpPolicyGrain> logger) : Grain, IDlpPolicyGrain
{
    public Task<DlpPolicyDocument> Get() => Task.FromResult(state.State.Policy ?? DlpPolicyDocuments.Default);

    public Task<DlpPolicyUpdate> Put(DlpPolicyDocument policy, long expectedVersion)
    {
        // One call at a time in a grain: the check and the write cannot be split by another.
        var current = state.State.Policy?.Version ?? DlpPolicyDocuments.Default.Version;
        return current == expectedVersion ? Put(policy) : Task.FromResult(new DlpPolicyUpdate(null, null, current));
    }

    public async Task<DlpPolicyUpdate> Put(DlpPolicyDocument policy)
    {
        DlpPolicy compiled;
        try
        {
            compiled = DlpPolicyDocuments.ToPolicy(policy);
        }
        catch (DlpPolicyException e)
        {
            return new DlpPolicyUpdate(null, new Dictionary<string, string[]> { [e.Field] = [e.Problem.Length > 0 ? e.Problem : e.Message] });
        }

        // A save that changes nothing keeps the version: the ETag an admin's open editor holds stays
        // good, and the audit does not show a change that did not happen.
        var current = state.State.Policy ?? DlpPolicyDocuments.Default;
        var saved = DlpPolicyDocuments.From(compiled, current.Version);
        if (SameRules(saved, current))
        {
            return new DlpPolicyUpdate(current, null);
        }

        var version = (state.State.Policy?.Version ?? 0) + 1;
        state.State.Policy = saved with { Version = version };
        await state.WriteStateAsync();
        Log.PolicyChanged(logger, version);
        return new DlpPolicyUpdate(state.State.Policy, null);
    }

    private static bool SameRules(DlpPolicyDocument a, DlpPolicyDocument b) =>
        a.Actions.Count == b.Actions.Count
        && a.Actions.All(action => b.Actions.TryGetValue(action.Key, out var other) && other == action.Value)
        && a.CustomCategories.SequenceEqual(b.CustomCategories);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "DLP policy changed to version {Version}")]
        public static partial void PolicyChanged(ILogger logger, long version);
    }
}
