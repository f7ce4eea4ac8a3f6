namespace Synapse.Grains.Interfaces.Providers;

/// <summary>Why a provider call failed, in words that are safe to show a client.</summary>
[GenerateSerializer, Immutable, Alias("synapse.ProviderFailure")]
public sealed record ProviderFailure(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message);
