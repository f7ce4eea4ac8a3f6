namespace Synapse.Grains.Interfaces.Requests;

/// <summary>
/// A key's limits and what is left of them, as OpenAI's <c>x-ratelimit-*</c> headers report it.
/// Reset times are how long until the window has room again.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.RateLimitSnapshot")]
public sealed record RateLimitSnapshot(
    [property: Id(0)] int RequestLimit,
    [property: Id(1)] int RequestsRemaining,
    [property: Id(2)] TimeSpan RequestsReset,
    [property: Id(3)] int TokenLimit,
    [property: Id(4)] int TokensRemaining,
    [property: Id(5)] TimeSpan TokensReset);
