using System.Globalization;

namespace Synapse.Gateway.Security;

/// <summary>
/// The answers of the admin schemes when a request is not let in: 401 with exactly one
/// <c>WWW-Authenticate</c> scheme (a browser shows its login prompt only for a lone Basic
/// challenge), 429 with <c>Retry-After</c> for a throttled address, 403 for a role that may not do
/// this; each a problem-details body.
/// </summary>
internal static class AdminChallenge
{
    private const string ThrottledKey = "synapse.admin.throttled";

    public static void MarkThrottled(HttpContext context, TimeSpan retryAfter) => context.Items[ThrottledKey] = retryAfter;

    public static TimeSpan RetryAfterOf(HttpContext context) =>
        context.Items.TryGetValue(ThrottledKey, out var value) && value is TimeSpan wait ? wait : TimeSpan.FromSeconds(60);

    public static async Task WriteAsync(HttpContext context, IProblemDetailsService problems, string wwwAuthenticate, string detail)
    {
        if (context.Items.TryGetValue(ThrottledKey, out var value) && value is TimeSpan retryAfter)
        {
            await WriteThrottledAsync(context, problems, retryAfter);
            return;
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = StatusCodes.Status401Unauthorized, Title = "Admin credential required", Detail = detail },
        });
    }

    public static async Task WriteThrottledAsync(HttpContext context, IProblemDetailsService problems, TimeSpan retryAfter)
    {
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many failed authentications",
                Detail = "This address failed to authenticate too often; wait for Retry-After seconds.",
                Extensions = { ["code"] = "authentication_throttled" },
            },
        });
    }

    public static async Task WriteForbiddenAsync(HttpContext context, IProblemDetailsService problems)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails =
            {
                Status = StatusCodes.Status403Forbidden,
                Title = "Not allowed for this role",
                Detail = "This account's role may not do this; an auditor reads and changes nothing.",
                Extensions = { ["code"] = "forbidden" },
            },
        });
    }
}
