namespace Synapse.Grains.Interfaces.Keys;

/// <summary>The rate limits bound to a key.</summary>
[GenerateSerializer, Immutable, Alias("synapse.KeyLimits")]
public sealed record KeyLimits(
    [property: Id(0)] int RequestsPerMinute,
    [property: Id(1)] int TokensPerMinute,
    [property: Id(2)] int MaxConcurrentRequests);
