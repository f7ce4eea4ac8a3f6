using Synapse.Grains.Interfaces.Keys;

namespace Synapse.Gateway.Admin;

public sealed record CreateKeyRequest(
    string? TeamId,
    string? Name,
    string? SystemPrompt,
    IReadOnlyList<string>? AllowedModels,
    string? Classification,
    LimitsRequest? Limits,
    IReadOnlyDictionary<string, string>? Dlp = null,
    string? ClientSystemMessages = null,
    DateTimeOffset? ExpiresAt = null);

/// <summary>A key's limits; <c>maxOutputTokens</c> and <c>maxChoices</c> are optional (null: the gateway's defaults).</summary>
public sealed record LimitsRequest(int? RequestsPerMinute, int? TokensPerMinute, int? MaxConcurrentRequests, int? MaxOutputTokens = null, int? MaxChoices = null)
{
    public KeyLimits ToLimits() => new(RequestsPerMinute!.Value, TokensPerMinute!.Value, MaxConcurrentRequests!.Value, MaxOutputTokens, MaxChoices);
}
