namespace Synapse.Grains.Interfaces.Teams;

/// <summary>All teams of the organisation (key <see cref="SingletonKey"/>).</summary>
[Alias("synapse.ITeamRegistryGrain")]
public interface ITeamRegistryGrain : IGrainWithStringKey
{
    public const string SingletonKey = "teams";

    /// <summary>Creates a team, or returns null when the name (case-insensitive) is taken.</summary>
    [Alias("Create")]
    Task<TeamInfo?> Create(string name);

    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<TeamInfo>> List();

    [Alias("Get"), ReadOnly]
    Task<TeamInfo?> Get(string teamId);
}
