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
}
