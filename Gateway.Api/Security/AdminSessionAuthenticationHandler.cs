using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// The console's session cookie, checked against the database on every request (so a sign-out
/// on one front end holds on all). An unknown or expired session is not counted as a failed
/// authentication: a browser left open past the idle timeout is not an attack, and a 256-bit id
/// cannot be guessed.
/// </summary>
internal sealed class AdminSessionAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AdminSessions sessions) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (AdminSessions.ReadCookie(Request) is not { } sessionId)
        {
            return AuthenticateResult.NoResult();
        }

        var identity = await sessions.ValidateAsync(sessionId, Scheme.Name, Context.RequestAborted);
        return identity is null
            ? AuthenticateResult.Fail("The session has ended; sign in again.")
            : AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
