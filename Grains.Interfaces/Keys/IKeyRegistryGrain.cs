namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// The one place keys are issued (key <see cref="SingletonKey"/>): it validates a binding against
/// the teams and the providers this cluster knows, mints the secret and remembers every key id.
/// </summary>
[Alias("synapse.IKeyRegistryGrain")]
public interface IKeyRegistryGrain : IGrainWithStringKey
{
    public const string SingletonKey = "keys";

    [Alias("Create")]
    Task<KeyCreationResult> Create(KeyBinding binding);

    [Alias("ListIds"), ReadOnly]
    Task<IReadOnlyList<string>> ListIds();

    /// <summary>The ids of one team's keys, oldest first (the console's key list pages through them).</summary>
    [Alias("ListTeamIds"), ReadOnly]
    Task<IReadOnlyList<string>> ListTeamIds(string teamId);

    /// <summary>How many keys each team has (teams without keys are left out).</summary>
    [Alias("CountByTeam"), ReadOnly]
    Task<IReadOnlyDictionary<string, int>> CountByTeam();
}
