using Synapse.Grains.Interfaces.Teams;

namespace Synapse.Grains.Teams;

public sealed class TeamRegistryState
{
    public List<TeamInfo> Teams { get; set; } = [];
}
