namespace Synapse.Gateway.Security;

/// <summary>
/// The console's and the admin API's response headers: a strict Content-Security-Policy (scripts,
/// styles and connections from this origin only, no inline script, no framing), no MIME sniffing,
/// no referrer to other origins, and no caching of API answers.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    // Not async: the headers are set before the rest of the pipeline runs, so every other request
    // (all of /v1) passes through without a state machine of its own.
    public static IApplicationBuilder UseAdminSecurityHeaders(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var path = context.Request.Path;
            if (path.StartsWithSegments("/admin") || path.StartsWithSegments("/openapi"))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "same-origin";
                headers.XFrameOptions = "DENY";
                if (path.StartsWithSegments("/admin/api") || path.StartsWithSegments("/openapi"))
                {
                    headers.CacheControl = "no-store";
                }
            }

            return next(context);
        });
}
