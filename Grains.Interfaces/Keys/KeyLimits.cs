namespace Synapse.Grains.Interfaces.Keys;

/// <summary>
/// The limits bound to a key. <see cref="MaxOutputTokens"/> caps a request's <c>max_tokens</c>
/// (or <c>max_completion_tokens</c>) and <see cref="MaxChoices"/> its <c>n</c>; null means the
/// gateway's defaults (<c>Synapse:Limits</c>), which is also what keys created before these
/// existed get.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.KeyLimits")]
public sealed record KeyLimits(
    [property: Id(0)] int RequestsPerMinute,
    [property: Id(1)] int TokensPerMinute,
    [property: Id(2)] int MaxConcurrentRequests,
    [property: Id(3)] int? MaxOutputTokens = null,
    [property: Id(4)] int? MaxChoices = null);
