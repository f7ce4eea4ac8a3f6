using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// The admin token checked from the Authorization header, for the two schemes that take it (the
/// token and the dashboard: <see cref="AdminCredentialSchemeOptions"/>): the credential is checked
/// first, whatever the address's failures, so the right one always gets in; a wrong one is counted
/// and audited, and answered 429 once the address is past its allowance. Each scheme's options say
/// how it reads the header, what it is called in the audit log and how it challenges.
/// </summary>
internal sealed class AdminCredentialHandler(
    IOptionsMonitor<AdminCredentialSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AdminCredential credential,
    FailedAuthentications failures,
    IProblemDetailsService problemDetails) : AuthenticationHandler<AdminCredentialSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (string.IsNullOrEmpty(header))
        {
            return AuthenticateResult.NoResult();
        }

        if (Options.ReadToken(header) is not { } token || !credential.Matches(token))
        {
            await failures.RecordAsync(Context, Options.AuditAction);
            return AuthenticateResult.Fail("The admin credential is not valid.");
        }

        Claim[] claims = Options.Role is { } role
            ? [new Claim(ClaimTypes.Name, AdminSchemes.TokenActor), new Claim(ClaimTypes.Role, role)]
            : [new Claim(ClaimTypes.Name, AdminSchemes.TokenActor)];
        var identity = new ClaimsIdentity(claims, Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AdminChallenge.WriteAsync(Context, problemDetails, Options.Challenge, Options.ChallengeDetail);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AdminChallenge.WriteForbiddenAsync(Context, problemDetails);
}
