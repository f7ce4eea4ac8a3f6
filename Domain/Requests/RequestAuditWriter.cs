using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Telemetry;

namespace Synapse.Requests;

/// <summary>
/// Writes a request's audit events, wherever the request is answered. When the log cannot take an
/// event that must precede the answer, the caller fails closed (503 <c>audit_unavailable</c>)
/// unless the operator chose fail-open. Every request's final event passes through here, so this
/// is also where requests are counted (<see cref="GatewayMetrics.Recorded"/>): the metrics and the
/// audit log agree by construction.
/// </summary>
public sealed partial class RequestAuditWriter(IAuditLog log, AuditOptions options, ILogger<RequestAuditWriter> logger)
{
    /// <summary>True when the event is durable (or the operator chose fail-open).</summary>
    public async Task<bool> TryRecordAsync(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var started = Stopwatch.GetTimestamp();
        try
        {
            await log.AppendAsync(record);
            GatewayMetrics.AuditAppended(Stopwatch.GetElapsedTime(started), durable: true);
            GatewayMetrics.Recorded(record);
            return true;
        }
        catch (AuditUnavailableException)
        {
            GatewayMetrics.AuditAppended(Stopwatch.GetElapsedTime(started), durable: false);
            Log.Unavailable(logger, record.RequestId ?? "-", options.FailOpen);
            if (options.FailOpen)
            {
                GatewayMetrics.Recorded(record);
            }

            return options.FailOpen;
        }
    }

    /// <summary>
    /// Records an event that follows an answer already sent: nothing waits on it, so it may share
    /// the next request's commit (<see cref="AuditOptions.DeferrableCommitDelay"/>), and it is not
    /// in the append-duration histogram, which is the time requests wait. A failure is logged;
    /// nothing more can be done.
    /// </summary>
    public async Task RecordAfterAnswerAsync(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        GatewayMetrics.Recorded(record);
        try
        {
            await log.AppendDeferrableAsync(record);
        }
        catch (AuditUnavailableException)
        {
            // The answer has already gone out; the request event is durable, so the log shows a
            // request without its completion rather than nothing.
            Log.Unavailable(logger, record.RequestId ?? "-", options.FailOpen);
        }
        catch (ArgumentException e)
        {
            // A record the log refuses as invalid (a field out of its range) must not vanish
            // without a word: nothing else would ever say that this request's completion is missing.
            Log.Refused(logger, record.RequestId ?? "-", e.ParamName ?? "-");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The audit log could not record an event of request {RequestId} (fail-open: {FailOpen})")]
        public static partial void Unavailable(ILogger logger, string requestId, bool failOpen);

        [LoggerMessage(2, LogLevel.Error, "The audit log refused an event of request {RequestId} as invalid (field {Field}); the request has no completion row")]
        public static partial void Refused(ILogger logger, string requestId, string field);
    }
}
