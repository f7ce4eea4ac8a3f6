namespace Synapse.Grains.Keys;

public sealed class KeyRegistryState
{
    public List<string> KeyIds { get; set; } = [];
}
