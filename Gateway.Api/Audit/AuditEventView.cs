using Synapse.Audit;
using Synapse.Grains.Audit;

namespace Synapse.Gateway.Audit;

/// <summary>One audit event as the admin API shows it (digests and ids only; there is nothing else to show).</summary>
internal sealed record AuditEventView(
    long Id,
    Guid EventId,
    string Kind,
    DateTimeOffset Time,
    string? RequestId,
    string? KeyId,
    string? TeamId,
    string? Model,
    string? Provider,
    string? ProviderLocation,
    string Outcome,
    int? HttpStatus,
    IReadOnlyList<string>? DlpCategories,
    IReadOnlyList<string>? DlpActions,
    string? PromptSha256,
    string? ResponseSha256,
    int? PromptTokens,
    int? CompletionTokens,
    long? LatencyMs,
    string? Actor,
    string? Action,
    string? Target,
    string? Api,
    string? ClientAddress,
    string? UserAgent,
    string? Detail,
    int? Count,
    string PartitionId,
    long PartitionSeq,
    string PrevHash,
    string RowHash)
{
    public static AuditEventView From(AuditRow row)
    {
        var r = row.Record;
        return new AuditEventView(
            row.Id, r.EventId, AuditText.Kind(r.Kind), r.Time, r.RequestId, r.KeyId, r.TeamId, r.Model, r.Provider,
            AuditText.Location(r.ProviderLocation), r.Outcome, r.HttpStatus, r.DlpCategories, r.DlpActions, r.PromptSha256,
            r.ResponseSha256, r.PromptTokens, r.CompletionTokens, r.LatencyMs, r.Actor, r.Action, r.Target,
            r.Api, r.ClientAddress, r.UserAgent, r.Detail, r.Count, row.PartitionId, row.Seq, row.PrevHash, row.RowHash);
    }
}
