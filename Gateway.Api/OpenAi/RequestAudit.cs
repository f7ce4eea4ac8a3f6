using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Records the requests the front end answers itself (unreadable bodies, failures of its own),
/// with the same builder and writer as the key grain's, before the answer goes out. If the log
/// cannot take the event, the client gets 503 <c>audit_unavailable</c> instead: nothing is
/// answered unrecorded unless the operator chose fail-open. Failed authentications are the
/// exception: they are counted and written as one row per source and window
/// (<see cref="Security.FailedAuthenticationAuditor"/>).
/// </summary>
public sealed class RequestAudit(RequestAuditEvents events, RequestAuditWriter writer)
{
    public static readonly OpenAiError Unavailable = new(
        StatusCodes.Status503ServiceUnavailable,
        "The audit log is unavailable, so the gateway is not serving requests; retry shortly.",
        OpenAiError.ApiErrorType,
        AuditFailures.Unavailable);

    /// <param name="status">The status answered; null when nobody was left to answer (the client went away).</param>
    /// <param name="detail">Further facts, names only (<see cref="RequestAuditEvents.EndpointDetail"/>).</param>
    /// <param name="error">What the client is answered: its code and param are recorded in <c>detail.error</c>.</param>
    public AuditRecord Rejection(AdmissionRequest request, string outcome, int? status, string? keyId = null, string? detail = null, OpenAiError? error = null)
    {
        var record = events.Rejection(request, null, outcome, status ?? 0, detail: detail, errorCode: error?.Code, errorParam: error?.Param) with { HttpStatus = status };
        return keyId is null ? record : record with { KeyId = keyId };
    }

    /// <summary>The error to answer with: <paramref name="error"/> once the event is durable, else 503.</summary>
    public async Task<OpenAiError> RecordAsync(AuditRecord record, OpenAiError error) =>
        await writer.TryRecordAsync(record) ? error : Unavailable;

    /// <summary>Records a request that gets no answer (or whose answer is already decided); a log failure is logged.</summary>
    public Task RecordUnansweredAsync(AuditRecord record) => writer.RecordAfterAnswerAsync(record);
}
