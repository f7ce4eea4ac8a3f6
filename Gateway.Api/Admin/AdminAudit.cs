using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Records admin changes (who, what, which id) in the audit log. A change is announced first
/// (<c>requested</c>) and refused with 503 <c>audit_unavailable</c> when the log cannot take that
/// event, unless the operator chose fail-open; its result (<c>succeeded</c>, naming a new id) is
/// recorded once it is made. The admin principal has one identity, the admin token, so the actor
/// is always <c>admin</c>.
/// </summary>
internal sealed partial class AdminAudit(IGrainFactory grains, AuditOptions options, TimeProvider timeProvider, ILogger<AdminAudit> logger)
{
    public const string Actor = "admin";

    /// <summary>The target of an announced change that creates something, before it has an id.</summary>
    public const string NewTarget = "new";

    /// <summary>Announces a change; a non-null result is the refusal to answer instead of making it.</summary>
    public async Task<IResult?> BeginAsync(string action, string target)
    {
        if (await TryAppendAsync(action, target, AuditOutcomes.Requested) || options.FailOpen)
        {
            return null;
        }

        return Results.Problem(
            statusCode: StatusCodes.Status503ServiceUnavailable,
            title: "Audit log unavailable",
            detail: "The audit log could not record this change, so it was not made. Retry when the audit store is back.",
            extensions: new Dictionary<string, object?> { ["code"] = AuditFailures.Unavailable });
    }

    /// <summary>Records a change that has been made.</summary>
    public async Task RecordAsync(string action, string target)
    {
        if (!await TryAppendAsync(action, target, AuditOutcomes.Succeeded))
        {
            // The change is made; its announcement (if it was made) is in the log, its result is not.
            Log.Unrecorded(logger, action, target);
        }
    }

    private async Task<bool> TryAppendAsync(string action, string target, string outcome)
    {
        var record = AuditRecord.Create(AuditEventKind.Admin, outcome, timeProvider.GetUtcNow()) with
        {
            Actor = Actor,
            Action = action,
            Target = target,
        };
        try
        {
            await grains.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).Append(record);
            return true;
        }
        catch (AuditUnavailableException)
        {
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The audit log could not record admin action {Action} on {Target}")]
        public static partial void Unrecorded(ILogger logger, string action, string target);
    }
}
