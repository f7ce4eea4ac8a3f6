namespace Synapse.Persistence.Storage;

/// <summary>Names shared by the storage wiring and the grains that use it.</summary>
public static class SynapseStorage
{
    /// <summary>
    /// The grain storage provider name, for <c>[PersistentState("state", SynapseStorage.Name)]</c>.
    /// The same provider is also registered as the default grain storage.
    /// </summary>
    public const string Name = "synapse";
}
