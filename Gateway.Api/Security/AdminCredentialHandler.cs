using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Synapse.Gateway.Security;

/// <summary>
/// The admin token checked from the Authorization header, for the two schemes that take it: a
/// throttled address is refused without a check, a wrong credential is counted and audited. Each
/// scheme says how it reads the header, what it is called in the audit log and how it challenges.
/// </summary>
internal abstract class AdminCredentialHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    AdminCredential credential,
    FailedAuthentications failures) : AuthenticationHandler<AuthenticationSchemeOptions>(options, loggerFactory, encoder)
{
    /// <summary>The audit action of a failed attempt, e.g. <c>auth.token</c>.</summary>
    protected abstract string Action { get; }

    /// <summary>The token in the header, or null when the header is not this scheme's.</summary>
    protected abstract string? ReadToken(string header);

    protected abstract IEnumerable<Claim> Claims();

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

        if (ReadToken(header) is not { } token || !credential.Matches(token))
        {
            await failures.RecordAsync(Context, Action);
            return AuthenticateResult.Fail("The admin credential is not valid.");
        }

        var identity = new ClaimsIdentity(Claims(), Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}
