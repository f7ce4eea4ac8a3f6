using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// An admitted request, bound and routed: the exact body a provider will receive and the
/// providers that may receive it, in failover order. Only the key grain creates these, and for a
/// sensitive key <see cref="Route"/> holds on-prem providers only. <see cref="DroppedFields"/> names
/// what the binding left out of the client's body (field names only, never values), as the first
/// provider on the route takes it; <see cref="DroppedFieldsFor"/> as the one that answered.
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

    /// <summary>
    /// What a later provider on the route leaves out where that differs from
    /// <see cref="DroppedFields"/> (one of another type takes other fields); null when none does.
    /// </summary>
    [Id(15)] public IReadOnlyDictionary<string, IReadOnlyList<string>>? DroppedFieldsOnFailover { get; init; }

    /// <summary>
    /// An embeddings client asked for <c>encoding_format: "base64"</c>: its vectors go back as
    /// base64 whatever the provider answered (one that ignores the field answers numbers).
    /// </summary>
    [Id(16)] public bool ClientWantsBase64 { get; init; }

    /// <summary>What <paramref name="provider"/> (the one that answered) was not sent, or null for nothing; <see cref="DroppedFields"/> when it is unknown.</summary>
    public IReadOnlyList<string>? DroppedFieldsFor(string? provider) =>
        OtherDroppedFieldsOf(provider) is { } dropped
            ? dropped.Count > 0 ? dropped : null
            : DroppedFields;

    /// <summary><paramref name="provider"/>'s entry in <see cref="DroppedFieldsOnFailover"/>: its own list (possibly empty), or null when <see cref="DroppedFields"/> holds for it.</summary>
    public IReadOnlyList<string>? OtherDroppedFieldsOf(string? provider) =>
        provider is not null && DroppedFieldsOnFailover?.TryGetValue(provider, out var dropped) == true ? dropped : null;
}
