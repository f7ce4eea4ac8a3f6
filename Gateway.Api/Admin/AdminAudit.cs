using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Records admin changes (who, what, which id) in the audit log, after the change is made. The
/// admin principal has one identity, the admin token, so the actor is always <c>admin</c>.
/// </summary>
internal sealed partial class AdminAudit(IGrainFactory grains, TimeProvider timeProvider, ILogger<AdminAudit> logger)
{
    public const string Actor = "admin";

    public async Task RecordAsync(string action, string target)
    {
        var record = AuditRecord.Create(AuditEventKind.Admin, AuditOutcomes.Succeeded, timeProvider.GetUtcNow()) with
        {
            Actor = Actor,
            Action = action,
            Target = target,
        };
        try
        {
            await grains.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).Append(record);
        }
        catch (AuditUnavailableException)
        {
            // The change is already made; the operator learns from this error that its event is missing.
            Log.Unrecorded(logger, action, target);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The audit log could not record admin action {Action} on {Target}")]
        public static partial void Unrecorded(ILogger logger, string action, string target);
    }
}
