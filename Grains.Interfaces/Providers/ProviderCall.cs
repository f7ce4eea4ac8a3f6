using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// An admitted request, bound and routed: the exact body a provider will receive and the
/// providers that may receive it, in failover order. Only the key grain creates these, and for a
/// sensitive key <see cref="Route"/> holds on-prem providers only. <see cref="DroppedFields"/> names
/// what the binding left out of the client's body (field names only, never values).
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.ProviderCall")]
public sealed record ProviderCall(
    [property: Id(0)] string RequestId,
    [property: Id(1)] string KeyId,
    [property: Id(2)] string TeamId,
    [property: Id(3)] string Provider,
    [property: Id(4)] string Model,
    [property: Id(5)] RequestOperation Operation,
    [property: Id(6)] bool Stream,
    [property: Id(7)] byte[] Body,
    [property: Id(8)] IReadOnlyList<string> Route,
    [property: Id(9)] DataClassification Classification,
    [property: Id(11)] IReadOnlyDictionary<string, string>? DlpOverrides = null,
    [property: Id(12)] bool ClientWantsUsage = false,
    [property: Id(13)] IReadOnlyList<string>? DroppedFields = null)
{
    /// <summary>The API the client spoke: a provider's refusal names the field as the client calls it.</summary>
    [Id(14)] public ClientApi Api { get; init; }
}
