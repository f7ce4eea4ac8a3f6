using Synapse.Gateway.Admin;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.Security;

/// <summary>
/// What happens when an admin credential is wrong — and only then, after it was checked: the
/// address's failure is counted by the throttle and the attempt is audited (action, address, user
/// agent, never the credential). Past the address's allowance the wrong credential is answered 429
/// and one <c>throttled</c> row per window stands for the rest; a right credential is never
/// refused here (<see cref="AdminAuthenticationThrottle"/>).
/// </summary>
internal sealed class FailedAuthentications(AdminAuthenticationThrottle throttle, AdminAudit audit)
{
    /// <summary>
    /// Counts one failed authentication whose audit row the endpoint's audit filter writes, under
    /// the caller's address or <paramref name="source"/>. True when that is past its allowance: the
    /// answer is then a 429 (the handler returns <see cref="ThrottledResult"/>), and the filter
    /// writes no row of its own for it.
    /// </summary>
    public async Task<bool> CountAsync(HttpContext context, string action, string? source = null)
    {
        source ??= ClientAddress.SourceOf(context);
        if (throttle.TryRecordFailure(source, out var retryAfter))
        {
            return false;
        }

        AdminAuditScope.Of(context).Unrecorded = true;
        await ThrottledAsync(context, action, source, retryAfter);
        return true;
    }

    /// <summary>
    /// For a check that must refuse before the credential is looked at: true (the answer marked
    /// 429) when <paramref name="source"/> is past its allowance. Only for a source no one but the
    /// credential's owner can fail under (an account's own session), or it would be a lockout lever.
    /// </summary>
    public async Task<bool> IsThrottledAsync(HttpContext context, string action, string source)
    {
        if (!throttle.IsThrottled(source, out var retryAfter))
        {
            return false;
        }

        AdminAuditScope.Of(context).Unrecorded = true;
        await ThrottledAsync(context, action, source, retryAfter);
        return true;
    }

    /// <summary>Counts and audits one failed authentication; <paramref name="actor"/> only when it names a real account.</summary>
    public async Task RecordAsync(HttpContext context, string action, string? actor = null, string? reason = null)
    {
        var address = ClientAddress.SourceOf(context);
        if (!throttle.TryRecordFailure(address, out var retryAfter))
        {
            await ThrottledAsync(context, action, address, retryAfter);
            return;
        }

        var record = audit.Event(context, action, AuditOutcomes.Failed) with
        {
            Actor = actor,
            HttpStatus = StatusCodes.Status401Unauthorized,
            Detail = reason is null ? null : $$"""{"reason":"{{reason}}"}""",
        };
        await audit.TryAppendAsync(record);
    }

    /// <summary>Marks the answer as 429 and writes the source's one <c>throttled</c> row of the window.</summary>
    private async Task ThrottledAsync(HttpContext context, string action, string source, TimeSpan retryAfter)
    {
        AdminChallenge.MarkThrottled(context, retryAfter);
        if (throttle.ShouldReportThrottled(source))
        {
            await audit.TryAppendAsync(audit.Event(context, action, AuditOutcomes.Throttled) with { HttpStatus = StatusCodes.Status429TooManyRequests });
        }
    }
}
