namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// Maps a key's secret to its id. The grain's key is the lower-case hex SHA-256 of the secret,
/// so the lookup never sees or stores the secret itself.
/// </summary>
[Alias("synapse.IKeyLookupGrain")]
public interface IKeyLookupGrain : IGrainWithStringKey
{
    [Alias("Bind")]
    Task Bind(string keyId);

    [Alias("Resolve"), ReadOnly]
    Task<string?> Resolve();
}
