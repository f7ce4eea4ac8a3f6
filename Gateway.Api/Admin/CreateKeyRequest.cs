namespace Synapse.Gateway.Admin;

public sealed record CreateKeyRequest(
    string? TeamId,
    string? Name,
    string? SystemPrompt,
    IReadOnlyList<string>? AllowedModels,
    string? Classification,
    LimitsRequest? Limits,
    IReadOnlyDictionary<string, string>? Dlp = null,
    string? ClientSystemMessages = null);

public sealed record LimitsRequest(int? RequestsPerMinute, int? TokensPerMinute, int? MaxConcurrentRequests);
