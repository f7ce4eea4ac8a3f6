using Synapse.Persistence.Storage;

namespace Synapse.Tests.Storage.Grains;

[GrainType("synapse-tests-state-probe")]
public sealed class StateProbeGrain(
    [PersistentState("probe", SynapseStorage.Name)] IPersistentState<ProbeState> state,
    ILocalSiloDetails silo) : Grain, IStateProbeGrain
{
    public async Task<ProbeSnapshot> SetAsync(string text, int count)
    {
        state.State.Text = text;
        state.State.Count = count;
        state.State.Tags = [text, $"count-{count}"];
        await state.WriteStateAsync();
        return Snapshot();
    }

    public Task<ProbeSnapshot> GetAsync() => Task.FromResult(Snapshot());

    public async Task<ProbeSnapshot> ReloadAsync()
    {
        await state.ReadStateAsync();
        return Snapshot();
    }

    public async Task<ProbeSnapshot> ClearAsync()
    {
        await state.ClearStateAsync();
        return Snapshot();
    }

    public Task<string> GetSiloAsync() => Task.FromResult(silo.SiloAddress.ToString());

    private ProbeSnapshot Snapshot() => new(state.State.Text, state.State.Count, state.RecordExists, state.Etag);
}
