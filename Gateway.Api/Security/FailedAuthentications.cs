using Synapse.Gateway.Admin;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.Security;

/// <summary>
/// What happens when an admin credential is wrong: the address's failure is counted by the
/// throttle and the attempt is audited (action, address, user agent, never the credential);
/// a throttled address gets one audit row per window, not one per attempt.
/// </summary>
internal sealed class FailedAuthentications(AdminAuthenticationThrottle throttle, AdminAudit audit)
{
    /// <summary>True (and the challenge marked as 429) when the caller's address must wait.</summary>
    public async Task<bool> IsThrottledAsync(HttpContext context, string action)
    {
        var address = ClientAddress.SourceOf(context);
        if (!throttle.IsThrottled(address, out var retryAfter))
        {
            return false;
        }

        AdminChallenge.MarkThrottled(context, retryAfter);
        if (throttle.ShouldReportThrottled(address))
        {
            await audit.TryAppendAsync(audit.Event(context, action, AuditOutcomes.Throttled) with { HttpStatus = StatusCodes.Status429TooManyRequests });
        }

        return true;
    }

    /// <summary>Counts one failed authentication whose audit row the endpoint's audit filter writes.</summary>
    public void Count(HttpContext context) => throttle.RecordFailure(ClientAddress.SourceOf(context));

    /// <summary>Counts and audits one failed authentication; <paramref name="actor"/> only when it names a real account.</summary>
    public async Task RecordAsync(HttpContext context, string action, string? actor = null, string? reason = null)
    {
        throttle.RecordFailure(ClientAddress.SourceOf(context));
        var record = audit.Event(context, action, AuditOutcomes.Failed) with
        {
            Actor = actor,
            HttpStatus = StatusCodes.Status401Unauthorized,
            Detail = reason is null ? null : $$"""{"reason":"{{reason}}"}""",
        };
        await audit.TryAppendAsync(record);
    }
}
