using Microsoft.AspNetCore.Authentication;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Security;

/// <summary>What tells the two schemes that take the admin token apart (<see cref="AdminCredentialHandler"/>).</summary>
internal sealed class AdminCredentialSchemeOptions : AuthenticationSchemeOptions
{
    /// <summary>The audit action of a failed attempt, e.g. <c>auth.token</c>.</summary>
    public string AuditAction { get; set; } = string.Empty;

    /// <summary>The token in the Authorization header, or null when the header is not this scheme's.</summary>
    public Func<string, string?> ReadToken { get; set; } = _ => null;

    /// <summary>The role the token acts in, or none.</summary>
    public string? Role { get; set; }

    /// <summary>The one <c>WWW-Authenticate</c> challenge of a 401, and the problem's detail.</summary>
    public string Challenge { get; set; } = string.Empty;

    public string ChallengeDetail { get; set; } = string.Empty;

    /// <summary>
    /// The admin token as <c>Authorization: Bearer</c>, for automation; it acts as an admin named
    /// <c>token</c>. Basic credentials are not accepted here (only the dashboard takes them), so a
    /// browser that cached them for the dashboard cannot use them against the API.
    /// </summary>
    public static void Token(AdminCredentialSchemeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AuditAction = "auth.token";
        options.ReadToken = BearerCredential.ReadBearer;
        options.Role = AdminRoles.Admin;
        options.Challenge = "Bearer realm=\"Synapse admin\"";
        options.ChallengeDetail = "Sign in to the console, or send the admin token as 'Authorization: Bearer <token>'.";
    }

    /// <summary>
    /// The Orleans dashboard, which a browser opens directly: HTTP Basic, any user name, the admin
    /// token as the password. Its challenge names Basic alone; a combined <c>Bearer, Basic</c> header
    /// makes Chromium show no login prompt at all.
    /// </summary>
    public static void Dashboard(AdminCredentialSchemeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AuditAction = "auth.dashboard";
        options.ReadToken = BearerCredential.ReadBasicPassword;
        options.Challenge = "Basic realm=\"Synapse dashboard\", charset=\"UTF-8\"";
        options.ChallengeDetail = "Open the dashboard with any user name and the admin token as the password.";
    }
}
