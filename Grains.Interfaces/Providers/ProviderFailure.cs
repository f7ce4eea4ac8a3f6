namespace Synapse.Grains.Interfaces.Providers;

/// <summary>
/// Why a provider call failed, in words that are safe to show a client (naming no provider). When the provider refused
/// the request itself (an invalid request, too long a context, its own rate limit),
/// <see cref="Status"/> is the client-side status that keeps that class (400, 413, 429), and
/// <see cref="Type"/>, <see cref="ProviderCode"/> and <see cref="Param"/> carry the provider's
/// identifiers (never its message, which can quote the prompt). <see cref="RetryAfter"/> is the
/// provider's own <c>Retry-After</c> on a 429, or the rest of an open circuit's break.
/// </summary>
[GenerateSerializer, Immutable, Alias("synapse.ProviderFailure")]
public sealed record ProviderFailure(
    [property: Id(0)] string Code,
    [property: Id(1)] string Message)
{
    [Id(2)] public int? Status { get; init; }

    [Id(3)] public string? Type { get; init; }

    [Id(4)] public string? ProviderCode { get; init; }

    [Id(5)] public string? Param { get; init; }

    [Id(6)] public TimeSpan? RetryAfter { get; init; }
}
