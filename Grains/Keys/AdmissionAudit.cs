using System.Text.Json.Nodes;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Grains.Keys;

/// <summary>The audit events of the key grain's verdicts: names, ids and keyed digests only.</summary>
internal static class AdmissionAudit
{
    public static AuditRecord Rejection(string requestId, KeyInfo? key, string outcome, int httpStatus, string? model, string? promptDigest, DateTimeOffset now) =>
        AuditRecord.Create(AuditEventKind.Rejection, outcome, now) with
        {
            RequestId = requestId,
            KeyId = key?.Id,
            TeamId = key?.Binding.TeamId,
            Model = model,
            HttpStatus = httpStatus,
            PromptSha256 = promptDigest,
        };

    public static AuditRecord Request(ProviderCall call, ProviderLocation location, string promptDigest, int estimatedTokens, DateTimeOffset now) =>
        AuditRecord.Create(AuditEventKind.Request, AuditOutcomes.Allowed, now) with
        {
            RequestId = call.RequestId,
            KeyId = call.KeyId,
            TeamId = call.TeamId,
            Model = call.Model,
            Provider = call.Provider,
            ProviderLocation = location,
            PromptSha256 = promptDigest,
            PromptTokens = estimatedTokens,
        };

    /// <summary>The digest of what the provider will see: bound messages, or the embeddings input.</summary>
    public static string PromptDigest(AuditDigester digester, JsonObject bound) => bound["messages"] is JsonArray messages
        ? digester.ChatPrompt(messages)
        : digester.Prompt(bound["input"]?.ToJsonString() ?? string.Empty);

    public static (string Outcome, int Status) Of(AdmissionOutcome outcome) => outcome switch
    {
        AdmissionOutcome.InvalidKey => (AuditOutcomes.InvalidKey, 401),
        AdmissionOutcome.ModelNotAllowed => (AuditOutcomes.ModelNotAllowed, 403),
        AdmissionOutcome.NoRoute => (AuditOutcomes.NoRoute, 403),
        AdmissionOutcome.RateLimited => (AuditOutcomes.RateLimited, 429),
        _ => (AuditOutcomes.InvalidRequest, 400),
    };
}
