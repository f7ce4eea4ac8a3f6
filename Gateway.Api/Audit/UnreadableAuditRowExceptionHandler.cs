using Microsoft.AspNetCore.Diagnostics;
using Synapse.Audit;

namespace Synapse.Gateway.Audit;

/// <summary>
/// A page of the audit log that reaches a row edited outside the gateway (<see cref="UnreadableAuditRowException"/>):
/// problem details that name the row (<c>rowId</c>) and what it holds, the code
/// <c>audit_row_unreadable</c> and, on the event list, the cursor of the page after the row
/// (<c>nextCursor</c>), so an auditor still reads the rest of the log. Before, the page failed as
/// an unexplained 500. It stays a 500: the log, not the request, is at fault, and a monitor
/// watching for server errors should see it. Logged as an error with the row's id and the
/// column's name and type, never its value.
/// </summary>
internal sealed partial class UnreadableAuditRowExceptionHandler(
    IProblemDetailsService problems,
    ILogger<UnreadableAuditRowExceptionHandler> logger) : IExceptionHandler
{
    public const string Code = "audit_row_unreadable";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (httpContext.Response.HasStarted || exception is not UnreadableAuditRowException unreadable)
        {
            return false;
        }

        Log.Unreadable(logger, httpContext.Request.Path.Value ?? string.Empty, unreadable.Message);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        var problem = new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails =
            {
                Status = StatusCodes.Status500InternalServerError,
                Title = "The audit log holds an edited row",
                Detail = unreadable.Message + " It was edited outside the gateway; GET /admin/api/audit/verify reports where the log breaks.",
                Extensions = { ["code"] = Code, ["rowId"] = unreadable.RowId },
            },
        };
        if (unreadable.RowId is { } id && IsEventList(httpContext.Request))
        {
            // The list is newest first: the row's id as the cursor gives the page right after it.
            problem.ProblemDetails.Extensions["nextCursor"] = AuditCursor.Encode(id);
        }

        await problems.WriteAsync(problem);
        return true;
    }

    private static bool IsEventList(HttpRequest request) =>
        request.Path.Equals("/admin/api/audit", StringComparison.Ordinal);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "{Path} reached an edited audit row: {Reason}")]
        public static partial void Unreadable(ILogger logger, string path, string reason);
    }
}
