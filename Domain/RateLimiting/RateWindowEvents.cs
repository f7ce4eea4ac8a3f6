using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Requests;

namespace Synapse.RateLimiting;

/// <summary>
/// The audit events a key's rate window is rebuilt from when its activation moves: each request it
/// forwarded (its <c>request</c> event, durable before the provider saw the prompt, with its token
/// estimate and no status), and each request <see cref="KeyRateLimiter.CountUnforwarded"/> counted:
/// a token count (<c>messages.count_tokens</c>) and a refusal for the body, the model, DLP or the
/// route (a <c>rejection</c>, 400 or 403).
/// </summary>
/// <remarks>
/// A front-end refusal recorded the same way (a query the models list refuses) is counted too
/// when the window is rebuilt: the rebuilt window errs toward the limit, never past it.
/// </remarks>
public static class RateWindowEvents
{
    public static string ForwardedKind { get; } = AuditText.Kind(AuditEventKind.Request);

    public static string RefusalKind { get; } = AuditText.Kind(AuditEventKind.Rejection);

    public static IReadOnlyList<string> RefusalOutcomes { get; } =
        [AuditOutcomes.InvalidRequest, AuditOutcomes.DlpBlocked, AuditOutcomes.NoRoute, AuditOutcomes.ModelNotAllowed];

    public static IReadOnlyList<int> RefusalStatuses { get; } = [400, 403];

    public static string TokenCountApi => RequestAuditEvents.TokenCountApi;

    public static bool IsForwarded(AuditRecord record) =>
        record is { Kind: AuditEventKind.Request, Outcome: AuditOutcomes.Allowed, HttpStatus: null };

    public static bool IsTokenCount(AuditRecord record) =>
        record is { Kind: AuditEventKind.Request, Outcome: AuditOutcomes.Allowed, Api: RequestAuditEvents.TokenCountApi };

    public static bool IsCountedRefusal(AuditRecord record) =>
        record is { Kind: AuditEventKind.Rejection, HttpStatus: { } status }
        && RefusalOutcomes.Contains(record.Outcome) && RefusalStatuses.Contains(status);
}
