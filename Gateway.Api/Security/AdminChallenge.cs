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

        context.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        await WriteProblemAsync(context, problems, StatusCodes.Status401Unauthorized, "Admin credential required", detail, code: null);
    }

    public static async Task WriteThrottledAsync(HttpContext context, IProblemDetailsService problems, TimeSpan retryAfter)
    {
        SetRetryAfter(context, retryAfter);
        await WriteProblemAsync(context, problems, StatusCodes.Status429TooManyRequests, "Too many failed authentications",
            "This address failed to authenticate too often; wait for Retry-After seconds.", "authentication_throttled");
    }

    /// <summary>The 429 of the per-address sign-in rate, which counts right attempts too.</summary>
    public static async Task WriteSignInRateAsync(HttpContext context, IProblemDetailsService problems, TimeSpan retryAfter)
    {
        SetRetryAfter(context, retryAfter);
        await WriteProblemAsync(context, problems, StatusCodes.Status429TooManyRequests, "Too many sign-in attempts",
            "This address tried to sign in (or set up) more often in a minute than Synapse:Admin:SignInsPerMinute allows, right or wrong; wait for Retry-After seconds.", "sign_in_throttled");
    }

    private static void SetRetryAfter(HttpContext context, TimeSpan retryAfter) =>
        context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    public static Task WriteForbiddenAsync(HttpContext context, IProblemDetailsService problems) =>
        WriteProblemAsync(context, problems, StatusCodes.Status403Forbidden, "Not allowed for this role",
            "This account's role may not do this; an auditor reads and changes nothing.", "forbidden");

    /// <summary>A problem-details answer with an optional machine-readable <c>code</c>.</summary>
    public static async Task WriteProblemAsync(HttpContext context, IProblemDetailsService problems, int status, string title, string detail, string? code)
    {
        context.Response.StatusCode = status;
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Title = title, Detail = detail },
        };

        // ASP.NET Core's defaults give most statuses a type, but not 429.
        if (status == StatusCodes.Status429TooManyRequests)
        {
            problem.ProblemDetails.Type = "https://tools.ietf.org/html/rfc6585#section-4";
        }

        if (code is not null)
        {
            problem.ProblemDetails.Extensions["code"] = code;
        }

        await problems.WriteAsync(problem);
    }
}
