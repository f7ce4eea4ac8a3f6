namespace Synapse.Grains.Keys;

public sealed class KeyRegistryState
{
    public List<string> KeyIds { get; set; } = [];

    /// <summary>Each key's team, so a team's keys are listed without reading every key (filled in on activation for keys made before it existed).</summary>
    public Dictionary<string, string> TeamByKey { get; set; } = [];
}
