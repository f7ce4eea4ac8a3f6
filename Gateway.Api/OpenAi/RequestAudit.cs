using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Records the requests the front end answers itself (unknown keys, unreadable bodies) and the
/// key grain's refusals, before the answer goes out. If the log cannot take the event, the
/// client gets 503 <c>audit_unavailable</c> instead: nothing is answered unrecorded unless the
/// operator chose fail-open.
/// </summary>
public sealed partial class RequestAudit(IGrainFactory grains, AuditOptions options, TimeProvider timeProvider, ILogger<RequestAudit> logger)
{
    public static readonly OpenAiError Unavailable = new(
        StatusCodes.Status503ServiceUnavailable,
        "The audit log is unavailable, so the gateway is not serving requests; retry shortly.",
        OpenAiError.ApiErrorType,
        AuditFailures.Unavailable);

    public AuditRecord Rejection(string requestId, string outcome, int status, string? keyId = null) =>
        AuditRecord.Create(AuditEventKind.Rejection, outcome, timeProvider.GetUtcNow()) with { RequestId = requestId, KeyId = keyId, HttpStatus = status };

    /// <summary>True when the event is durable (or the operator chose fail-open).</summary>
    public async Task<bool> TryRecordAsync(AuditRecord? record)
    {
        if (record is null)
        {
            return true;
        }

        try
        {
            await grains.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).Append(record);
            return true;
        }
        catch (AuditUnavailableException)
        {
            Log.Unavailable(logger, record.RequestId ?? "-", options.FailOpen);
            return options.FailOpen;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The audit log could not record request {RequestId} (fail-open: {FailOpen})")]
        public static partial void Unavailable(ILogger logger, string requestId, bool failOpen);
    }
}
