using System.Text.Json.Nodes;
using Synapse.Audit;
using Synapse.Dlp;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Keys;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Keys;

/// <summary>The audit events of the key grain's verdicts: names, ids and keyed digests only.</summary>
public static class AdmissionAudit
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

    /// <summary>The DLP categories found and the actions taken (names only) on an event.</summary>
    public static AuditRecord WithDlp(AuditRecord record, DlpVerdict verdict)
    {
        var found = verdict.BlockedCategories.Select(c => (c, "block"))
            .Concat(verdict.RedactedCategories.Select(c => (c, "redact")))
            .Concat(verdict.OnPremOnlyCategories.Select(c => (c, "route_on_prem")))
            .Concat(verdict.AlertedCategories.Select(c => (c, "alert")))
            .ToList();
        return found.Count == 0 ? record : record with { DlpCategories = [.. found.Select(f => f.Item1)], DlpActions = [.. found.Select(f => f.Item2)] };
    }

    public static (string Outcome, int Status) Of(AdmissionOutcome outcome) => outcome switch
    {
        AdmissionOutcome.DlpBlocked => (AuditOutcomes.DlpBlocked, 400),
        AdmissionOutcome.DlpFailed => (AuditOutcomes.DlpBlocked, 400),
        AdmissionOutcome.NoOnPremRoute => (AuditOutcomes.NoRoute, 403),
        AdmissionOutcome.InvalidKey => (AuditOutcomes.InvalidKey, 401),
        AdmissionOutcome.ModelNotAllowed => (AuditOutcomes.ModelNotAllowed, 403),
        AdmissionOutcome.NoRoute => (AuditOutcomes.NoRoute, 403),
        AdmissionOutcome.RateLimited => (AuditOutcomes.RateLimited, 429),
        _ => (AuditOutcomes.InvalidRequest, 400),
    };
}
