using System.Security.Claims;
using Synapse.Audit;
using Synapse.Gateway.Security;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Writes admin events to the audit log: who (the account, or <c>token</c>), from where (client
/// address and user agent), what (action and target) and how it ended, with a detail object of
/// before → after (secrets never included). <see cref="AdminAuditFilter"/> decides when; the
/// authentication handlers use it for failed sign-ins.
/// </summary>
internal sealed partial class AdminAudit(IGrainFactory grains, AuditOptions options, TimeProvider timeProvider, ILogger<AdminAudit> logger)
{
    /// <summary>The target of an announced change that creates something, before it has an id.</summary>
    public const string NewTarget = "new";

    /// <summary>The <c>api</c> column of every admin event.</summary>
    public const string Api = "admin";

    public bool FailOpen => options.FailOpen;

    public AuditRecord Event(HttpContext context, string action, string outcome) =>
        AuditRecord.Create(AuditEventKind.Admin, outcome, timeProvider.GetUtcNow()) with
        {
            Actor = ActorOf(context.User),
            Action = action,
            Api = Api,
            ClientAddress = ClientAddress.Of(context),
            UserAgent = ClientAddress.UserAgent(context),
        };

    /// <summary>False when the log could not take the event (it is then not recorded).</summary>
    public async Task<bool> TryAppendAsync(AuditRecord record)
    {
        try
        {
            await grains.GetGrain<IAuditGrain>(IAuditGrain.DefaultKey).Append(record);
            return true;
        }
        catch (AuditUnavailableException)
        {
            Log.Unrecorded(logger, record.Action ?? "-", record.Outcome);
            return false;
        }
    }

    /// <summary>The refusal of a change the log could not announce.</summary>
    public static IResult Unavailable() => Results.Problem(
        statusCode: StatusCodes.Status503ServiceUnavailable,
        title: "Audit log unavailable",
        detail: "The audit log could not record this action, so it was not done. Retry when the audit store is back.",
        extensions: new Dictionary<string, object?> { ["code"] = AuditFailures.Unavailable });

    public static string? ActorOf(ClaimsPrincipal user) =>
        user.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "The audit log could not record admin action {Action} ({Outcome})")]
        public static partial void Unrecorded(ILogger logger, string action, string outcome);
    }
}
