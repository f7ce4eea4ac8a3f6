using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Synapse.Gateway.Security;

/// <summary>
/// In front of the admin API (and its OpenAPI document), before any credential is looked at: a
/// request a browser marks as cross-site (<c>Sec-Fetch-Site</c>, which a page cannot set) or whose
/// <c>Origin</c> is another site gets 403, and a body that is not exactly <c>application/json</c>
/// (UTF-8) gets 415 — an HTML form or a "simple" cross-site fetch can send neither —, as does a compressed
/// body. Requests from
/// programs (no <c>Origin</c>, no <c>Sec-Fetch-Site</c>) pass on to authentication. Admin bodies
/// are capped here, for chunked bodies too (a <c>Content-Length</c> alone would not catch those);
/// a declared length over the cap is answered 413 at once, and the body drained so the client
/// reads that answer (<see cref="Hosting.RefusedBody"/>).
/// </summary>
internal sealed class AdminRequestGuard(RequestDelegate next, IOptions<AdminSecurityOptions> options, IProblemDetailsService problems)
{
    private readonly HashSet<string> _allowedOrigins = new(options.Value.AllowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!IsSameSite(context.Request))
        {
            await RefuseAsync(context, StatusCodes.Status403Forbidden, "Cross-site request refused", "The admin API answers only pages of its own origin.", "cross_site_request");
            return;
        }

        if (HasBody(context.Request) && !Hosting.JsonMediaType.IsUtf8Json(context.Request.ContentType))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body as application/json in UTF-8 (no other charset).", "unsupported_media_type");
            return;
        }

        if (HasBody(context.Request) && Hosting.ContentCoding.IsCompressed(context.Request))
        {
            await RefuseAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type", "Send the body uncompressed: the admin API does not read a Content-Encoding.", "unsupported_media_type");
            return;
        }

        if (context.Request.ContentLength > Admin.AdminJson.MaxBodyBytes)
        {
            // Every admin endpoint, whether it reads a body or not: refused before anything reads it.
            if (!Hosting.RefusedBody.LetItDrain(context.Request))
            {
                context.Response.Headers.Connection = "close";
            }

            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large", $"Admin requests may have at most {Admin.AdminJson.MaxBodyBytes} bytes.", "request_too_large");
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = Admin.AdminJson.MaxBodyBytes;
        }

        await next(context);
    }

    private bool IsSameSite(HttpRequest request)
    {
        var fetchSite = request.Headers["Sec-Fetch-Site"].ToString();
        if (fetchSite.Length > 0 && fetchSite is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0)
        {
            return true;
        }

        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return false;
        }

        // The scheme is not compared: a TLS-terminating proxy makes a same-origin page look like
        // https while the request arrives over http.
        return string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase)
            || _allowedOrigins.Contains(origin.TrimEnd('/'));
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || request.Headers.TransferEncoding.Count > 0 || request.Headers.ContentType.Count > 0;

    private Task RefuseAsync(HttpContext context, int status, string title, string detail, string code) =>
        AdminChallenge.WriteProblemAsync(context, problems, status, title, detail, code);
}
