namespace Synapse.Grains.Keys;

public sealed class KeyLookupState
{
    public string? KeyId { get; set; }
}
