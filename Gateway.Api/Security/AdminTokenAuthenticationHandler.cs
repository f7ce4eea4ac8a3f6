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
    IProblemDetailsService problemDetails) : AdminCredentialHandler(options, loggerFactory, encoder, credential, failures)
{
    protected override string Action => "auth.token";

    protected override string? ReadToken(string header) => BearerCredential.ReadBearer(header);

    protected override IEnumerable<Claim> Claims() => [new Claim(ClaimTypes.Name, AdminSchemes.TokenActor), new Claim(ClaimTypes.Role, AdminRoles.Admin)];

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AdminChallenge.WriteAsync(Context, problemDetails, "Bearer realm=\"Synapse admin\"", "Sign in to the console, or send the admin token as 'Authorization: Bearer <token>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => AdminChallenge.WriteForbiddenAsync(Context, problemDetails);
}
