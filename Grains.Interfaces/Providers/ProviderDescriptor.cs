namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// A configured provider as the admin API shows it (never its credentials), with the state of
/// its circuit breaker on the silo that answered.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.ProviderDescriptor")]
public sealed record ProviderDescriptor(
    [property: Id(0)] string Name,
    [property: Id(1)] string Type,
    [property: Id(2)] ProviderLocation Location,
    [property: Id(3)] IReadOnlyList<string> Models,
    [property: Id(4)] string Circuit = "closed");
