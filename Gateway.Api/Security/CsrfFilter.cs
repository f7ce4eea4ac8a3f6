using System.Security.Cryptography;
using System.Text;

namespace Synapse.Gateway.Security;

/// <summary>
/// A request authenticated by the session cookie must send the session's antiforgery token in
/// <c>X-CSRF-Token</c> on every POST, PUT, PATCH and DELETE; without it, or with another, it gets
/// 403. Requests with the bearer token carry no ambient credential and need none.
/// </summary>
internal sealed class CsrfFilter(IProblemDetailsService problems) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method)
            || http.User.Identity?.AuthenticationType != AdminSchemes.Session)
        {
            return await next(context);
        }

        var expected = http.User.FindFirst(AdminClaims.CsrfToken)?.Value ?? string.Empty;
        var presented = http.Request.Headers[AdminSessions.CsrfHeader];
        if (expected.Length > 0 && presented.Count == 1
            && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(presented[0] ?? string.Empty)))
        {
            return await next(context);
        }

        await AdminChallenge.WriteProblemAsync(http, problems, StatusCodes.Status403Forbidden, "Antiforgery token missing or wrong",
            $"Send the session's csrfToken in the {AdminSessions.CsrfHeader} header.", "csrf_token_invalid");
        return Results.Empty;
    }
}
