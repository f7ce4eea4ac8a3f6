using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// The Orleans dashboard, which a browser opens directly: HTTP Basic, any user name, the admin
/// token as the password. Its challenge names Basic alone; a combined <c>Bearer, Basic</c> header
/// makes Chromium show no login prompt at all.
/// </summary>
internal sealed class DashboardAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AdminCredential credential,
    FailedAuthentications failures,
    IProblemDetailsService problemDetails) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    public const string Action = "auth.dashboard";

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

        if (BearerCredential.ReadBasicPassword(header) is not { } token || !credential.Matches(token))
        {
            await failures.RecordAsync(Context, Action);
            return AuthenticateResult.Fail("The dashboard credential is not valid.");
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, AdminSchemes.TokenActor)], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AdminChallenge.WriteAsync(Context, problemDetails, "Basic realm=\"Synapse dashboard\", charset=\"UTF-8\"", "Open the dashboard with any user name and the admin token as the password.");
}
