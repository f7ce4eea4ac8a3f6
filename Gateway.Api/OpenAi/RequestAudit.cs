using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Requests;
using Synapse.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Records the requests the front end answers itself (unknown keys, unreadable bodies), with the
/// same builder and writer as the key grain's, before the answer goes out. If the log cannot take
/// the event, the client gets 503 <c>audit_unavailable</c> instead: nothing is answered
/// unrecorded unless the operator chose fail-open.
/// </summary>
public sealed class RequestAudit(RequestAuditEvents events, RequestAuditWriter writer)
{
    public static readonly OpenAiError Unavailable = new(
        StatusCodes.Status503ServiceUnavailable,
        "The audit log is unavailable, so the gateway is not serving requests; retry shortly.",
        OpenAiError.ApiErrorType,
        AuditFailures.Unavailable);

    public AuditRecord Rejection(AdmissionRequest request, string outcome, int status, string? keyId = null)
    {
        var record = events.Rejection(request, null, outcome, status);
        return keyId is null ? record : record with { KeyId = keyId };
    }

    /// <summary>The error to answer with: <paramref name="error"/> once the event is durable, else 503.</summary>
    public async Task<OpenAiError> RecordAsync(AuditRecord record, OpenAiError error) =>
        await writer.TryRecordAsync(record) ? error : Unavailable;
}
