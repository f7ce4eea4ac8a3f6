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
    IProblemDetailsService problemDetails) : AdminCredentialHandler(options, loggerFactory, encoder, credential, failures)
{
    protected override string Action => "auth.dashboard";

    protected override string? ReadToken(string header) => BearerCredential.ReadBasicPassword(header);

    protected override IEnumerable<Claim> Claims() => [new Claim(ClaimTypes.Name, AdminSchemes.TokenActor)];

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AdminChallenge.WriteAsync(Context, problemDetails, "Basic realm=\"Synapse dashboard\", charset=\"UTF-8\"", "Open the dashboard with any user name and the admin token as the password.");
}
