using System.Security.Cryptography;
using Synapse.Grains.Interfaces.Teams;
using Synapse.Naming;

namespace Synapse.Grains.Teams;

[GrainType("synapse.team-registry")]
internal sealed class TeamRegistryGrain(
    [PersistentState("teams", StorageNames.Synapse)] IPersistentState<TeamRegistryState> state,
    TimeProvider timeProvider) : Grain, ITeamRegistryGrain
{
    public async Task<TeamInfo?> Create(string name)
    {
        // Names that read alike are one name: an admin picking a team in the console could not
        // tell them apart.
        var key = DisplayName.ComparisonKey(name);
        if (state.State.Teams.Exists(t => DisplayName.ComparisonKey(t.Name) == key))
        {
            return null;
        }

        var team = new TeamInfo("team_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)), name, timeProvider.GetUtcNow());
        state.State.Teams.Add(team);
        await state.WriteStateAsync();
        return team;
    }

    public Task<IReadOnlyList<TeamInfo>> List() => Task.FromResult<IReadOnlyList<TeamInfo>>([.. state.State.Teams]);

    public Task<TeamInfo?> Get(string teamId) => Task.FromResult(state.State.Teams.Find(t => t.Id == teamId));
}
