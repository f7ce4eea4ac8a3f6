using Orleans.Storage;

namespace Synapse.Persistence.Storage;

/// <summary>
/// Prefixes the state name with the grain type before it reaches the ADO.NET provider.
/// </summary>
/// <remarks>
/// Orleans 10 hands a storage provider only the state name (<c>"state"</c> from
/// <c>[PersistentState("state")]</c>), and the ADO.NET provider keys rows by that name plus the
/// grain's key alone, without its type. Two grain types with the same key and state name (a key
/// grain and a team grain both called "default", both with state "state") would otherwise read and
/// overwrite one row. The grain type is stable because every Synapse grain pins it with
/// <c>[GrainType]</c>.
/// </remarks>
internal sealed class GrainTypeScopedGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(Scope(stateName, grainId), grainId, grainState);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ReadStateAsync(Scope(stateName, grainId), grainId, grainState, cancellationToken);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.WriteStateAsync(Scope(stateName, grainId), grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.WriteStateAsync(Scope(stateName, grainId), grainId, grainState, cancellationToken);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(Scope(stateName, grainId), grainId, grainState);

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, CancellationToken cancellationToken) =>
        inner.ClearStateAsync(Scope(stateName, grainId), grainId, grainState, cancellationToken);

    internal static string Scope(string stateName, GrainId grainId) => $"{grainId.Type}.{stateName}";
}
