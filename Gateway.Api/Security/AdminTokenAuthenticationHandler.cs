using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Security;

/// <summary>
/// The admin token as <c>Authorization: Bearer</c>, for automation; it acts as an admin named
/// <c>token</c>. Basic credentials are not accepted here (only the dashboard takes them), so a
/// browser that cached them for the dashboard cannot use them against the API.
/// </summary>
internal sealed class AdminTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AdminCredential credential,
    FailedAuthentications failures,
    IProblemDetailsService problemDetails) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string Action = "auth.token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (await failures.IsThrottledAsync(Context, Action))
        {
            return AuthenticateResult.Fail("Too many failed admin authentications from this address.");
        }

        if (BearerCredential.ReadBearer(header) is not { } token || !credential.Matches(token))
        {
            await failures.RecordAsync(Context, Action);
            return AuthenticateResult.Fail("The admin credential is not valid.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, AdminSchemes.TokenActor), new Claim(ClaimTypes.Role, AdminRoles.Admin)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AdminChallenge.WriteAsync(Context, problemDetails, "Bearer realm=\"Synapse admin\"", "Sign in to the console, or send the admin token as 'Authorization: Bearer <token>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AdminChallenge.WriteForbiddenAsync(Context, problemDetails);
}
