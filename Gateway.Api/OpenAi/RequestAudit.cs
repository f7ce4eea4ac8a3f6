using Synapse.Audit;
using Synapse.Gateway.Security;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Requests;

namespace Synapse.Gateway.OpenAi;

/// <summary>
/// Records the requests the front end answers itself (unreadable bodies, failures of the front
/// end itself) and the key grain's refusals, before the answer goes out. If the log cannot take
/// the event, the client gets 503 <c>audit_unavailable</c> instead: nothing is answered unrecorded
/// unless the operator chose fail-open. Failed authentications are the exception: they are counted
/// and written as one row per source and window (<see cref="FailedAuthenticationAuditor"/>).
/// </summary>
public sealed partial class RequestAudit(IGrainFactory grains, AuditOptions options, TimeProvider timeProvider, ILogger<RequestAudit> logger)
{
    /// <summary>The audit log's limit for short text fields; a longer User-Agent is cut.</summary>
    private const int MaxUserAgentLength = 256;

    public static readonly OpenAiError Unavailable = new(
        StatusCodes.Status503ServiceUnavailable,
        "The audit log is unavailable, so the gateway is not serving requests; retry shortly.",
        OpenAiError.ApiErrorType,
        AuditFailures.Unavailable);

    /// <summary>A request refused (or lost) at the front end, with what the connection says about the client.</summary>
    public AuditRecord Rejection(HttpContext context, string requestId, RequestOperation? operation, string outcome, int? status, string? keyId = null) =>
        AuditRecord.Create(AuditEventKind.Rejection, outcome, timeProvider.GetUtcNow()) with
        {
            RequestId = requestId,
            KeyId = keyId,
            HttpStatus = status,
            Api = operation is { } op ? ClientApi.NameOf(op) : null,
            ClientAddress = ClientAddress.Of(context),
            UserAgent = UserAgentOf(context.Request),
        };

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

    /// <summary>True only when every record is durable; the caller keeps what it could not write.</summary>
    internal async Task<bool> TryRecordBatchAsync(IReadOnlyList<AuditRecord> records)
    {
        try
        {
            await grains.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).AppendBatch(records);
            return true;
        }
        catch (Exception e) when (e is AuditUnavailableException or SiloUnavailableException or OrleansMessageRejectionException or TimeoutException)
        {
            Log.BatchUnavailable(logger, records.Count, e.GetType().Name);
            return false;
        }
    }

    /// <summary>The client's User-Agent as the log can hold it: printable, and no longer than a field.</summary>
    private static string? UserAgentOf(HttpRequest request)
    {
        var value = request.Headers.UserAgent.ToString();
        if (value.Length == 0)
        {
            return null;
        }

        var printable = string.Create(Math.Min(value.Length, MaxUserAgentLength), value, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = char.IsControl(source[i]) || char.IsSurrogate(source[i]) ? '?' : source[i];
            }
        });
        return printable;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The audit log could not record request {RequestId} (fail-open: {FailOpen})")]
        public static partial void Unavailable(ILogger logger, string requestId, bool failOpen);

        [LoggerMessage(2, LogLevel.Warning, "The audit log could not take {Count} aggregated rows ({Reason}); they are kept for the next window")]
        public static partial void BatchUnavailable(ILogger logger, int count, string reason);
    }
}
