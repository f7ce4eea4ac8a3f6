using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Synapse.Gateway.Security;

namespace Synapse.Gateway.Admin;

/// <summary>
/// Puts into every admin endpoint's OpenAPI description the answers it can give besides its own:
/// those of the layers in front of every handler. Derived from the endpoint's metadata, after all
/// of its conventions have run, so an endpoint added later is described without anyone having to
/// remember these: 403 (a cross-site request, the role, the antiforgery token), 401 and 429 when it
/// needs a credential, 413 and 415 when it takes a body, 503 when the change is announced to the
/// audit log first. The document also names the two credentials (the admin token, the session
/// cookie with its antiforgery header), and which operations need none.
/// </summary>
internal static class AdminApiDocumentation
{
    private static readonly string[] ProblemJson = ["application/problem+json"];

    public static void DescribeCommonAnswers(EndpointBuilder endpoint)
    {
        var metadata = endpoint.Metadata;
        var needsCredential = !metadata.OfType<IAllowAnonymous>().Any();
        var takesBody = metadata.OfType<IAcceptsMetadata>().Any();
        var announced = metadata.OfType<AdminAction>().LastOrDefault() is { Mode: AdminAuditMode.AnnounceFirst };

        Describe(metadata, StatusCodes.Status403Forbidden);
        if (needsCredential)
        {
            Describe(metadata, StatusCodes.Status401Unauthorized);
            Describe(metadata, StatusCodes.Status429TooManyRequests);
        }

        if (takesBody)
        {
            Describe(metadata, StatusCodes.Status413PayloadTooLarge);
            Describe(metadata, StatusCodes.Status415UnsupportedMediaType);
        }

        if (announced)
        {
            Describe(metadata, StatusCodes.Status503ServiceUnavailable);
        }
    }

    private static void Describe(IList<object> metadata, int status)
    {
        if (!metadata.OfType<IProducesResponseTypeMetadata>().Any(m => m.StatusCode == status))
        {
            metadata.Add(new ProducesResponseTypeMetadata(status, typeof(ProblemDetails), ProblemJson));
        }
    }

    private const string Bearer = "adminToken";
    private const string Session = "session";
    private const string Csrf = "csrfToken";

    public static void DescribeCredentials(OpenApiDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>(StringComparer.Ordinal);
        document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The admin token (acts as an admin named 'token').",
        };
        document.Components.SecuritySchemes[Session] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Cookie,
            Name = AdminSessions.CookieName,
            Description = "The console session set by POST /admin/api/session ('__Host-synapse-session' over HTTPS).",
        };
        document.Components.SecuritySchemes[Csrf] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey,
            In = ParameterLocation.Header,
            Name = AdminSessions.CsrfHeader,
            Description = "The session's csrfToken; required with the session cookie on POST, PUT, PATCH and DELETE.",
        };
        document.Security =
        [
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
            new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Session, document)] = [], [new OpenApiSecuritySchemeReference(Csrf, document)] = [] },
        ];
    }

    /// <summary>
    /// Setup and sign-in need no credential (an empty requirement); a read needs the token or the
    /// cookie alone; a change with the cookie also needs the antiforgery header (the document's default).
    /// </summary>
    public static void DescribeCredentials(OpenApiOperation operation, OpenApiOperationTransformerContext context)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IAllowAnonymous>().Any())
        {
            operation.Security = [new OpenApiSecurityRequirement()];
        }
        else if (HttpMethods.IsGet(context.Description.HttpMethod ?? string.Empty) && context.Document is { } document)
        {
            operation.Security =
            [
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, document)] = [] },
                new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Session, document)] = [] },
            ];
        }
    }
}
