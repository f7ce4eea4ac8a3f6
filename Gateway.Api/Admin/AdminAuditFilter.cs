using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Audits every endpoint marked <see cref="AdminActionExtensions.Audited"/>, so no handler writes
/// audit events by hand. A change is announced (<c>requested</c>) before its handler runs and is
/// refused with 503 <c>audit_unavailable</c> when the log cannot take that (unless fail-open);
/// afterwards its result is recorded, <c>succeeded</c> or <c>failed</c> with the HTTP status, the
/// actor, client address, user agent and the handler's before → after.
/// </summary>
internal sealed class AdminAuditFilter(AdminAudit audit) : IEndpointFilter
{
    private const int MaxTargetLength = 128;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<AdminAction>() is not { } action)
        {
            return await next(context);
        }

        var scope = AdminAuditScope.Of(http);
        var target = TargetOf(action, http);
        if (action.Mode == AdminAuditMode.AnnounceFirst
            && !await audit.TryAppendAsync(audit.Event(http, action.Name, AuditOutcomes.Requested) with { Target = target })
            && !audit.FailOpen)
        {
            return AdminAudit.Unavailable();
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception) when (!http.RequestAborted.IsCancellationRequested)
        {
            await RecordAsync(http, action, scope, target, StatusCodes.Status500InternalServerError);
            throw;
        }

        await RecordAsync(http, action, scope, target, StatusOf(result, http));
        return result;
    }

    private async Task RecordAsync(HttpContext http, AdminAction action, AdminAuditScope scope, string? target, int status)
    {
        if (scope.Unrecorded)
        {
            return;
        }

        var record = audit.Event(http, action.Name, status < 400 ? AuditOutcomes.Succeeded : AuditOutcomes.Failed) with
        {
            Target = scope.Target ?? target,
            HttpStatus = status,
            Detail = AuditDetail.Build(scope),
        };
        if (scope.Actor is not null)
        {
            record = record with { Actor = scope.Actor };
        }

        await audit.TryAppendAsync(record);
    }

    /// <summary>
    /// A literal target, or <c>{name}</c> for a route value. A route value is untrusted text, so only
    /// a short, plain id is written; anything else leaves the target empty.
    /// </summary>
    private static string? TargetOf(AdminAction action, HttpContext http)
    {
        if (action.Target is not { Length: > 2 } target || target[0] != '{' || target[^1] != '}')
        {
            return action.Target;
        }

        return http.GetRouteValue(target[1..^1]) is string value && IsPlainId(value) ? value : null;
    }

    private static bool IsPlainId(string value) =>
        value.Length is > 0 and <= MaxTargetLength && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '@');

    private static int StatusOf(object? result, HttpContext http)
    {
        while (result is INestedHttpResult nested)
        {
            result = nested.Result;
        }

        return result is IStatusCodeHttpResult { StatusCode: { } status } ? status : http.Response.StatusCode;
    }
}
