using System.ComponentModel.DataAnnotations;
using Synapse.Configuration;

namespace Synapse.Gateway.Security;

/// <summary>
/// The admin token and how the admin surfaces defend themselves, bound from <c>Synapse:Admin</c>
/// and checked at start.
/// </summary>
public sealed class AdminSecurityOptions : IValidatableObject
{
    public const string SectionName = "Synapse:Admin";

    /// <summary>
    /// The admin token (<c>Synapse:Admin:Token</c>), kept only as its hash (<see cref="AdminCredential"/>).
    /// Without it the all-in-one mode mints one on first start; a client-mode front end needs it.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>A session unused for this long ends (console sign-in).</summary>
    [Range(1, 24 * 60, ErrorMessage = OptionsMessages.Between)]
    public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>A session ends this long after sign-in, however busy.</summary>
    [Range(1, 24 * 30, ErrorMessage = OptionsMessages.Between)]
    public int SessionAbsoluteHours { get; set; } = 12;

    /// <summary>Wrong passwords in a row that lock an account.</summary>
    [Range(1, 1000, ErrorMessage = OptionsMessages.Between)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(1, 24 * 60, ErrorMessage = OptionsMessages.Between)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>
    /// Failed admin authentications (token, password, dashboard) one client address may make per
    /// window; past it a wrong credential gets 429 and one audit row per window, a right one still gets in.
    /// </summary>
    [Range(1, 100_000, ErrorMessage = OptionsMessages.Between)]
    public int FailedAuthenticationLimit { get; set; } = 10;

    /// <summary>The window of <see cref="FailedAuthenticationLimit"/>, in seconds.</summary>
    [Range(1, 24 * 3600, ErrorMessage = OptionsMessages.Between)]
    public int FailedAuthenticationWindowSeconds { get; set; } = 300;

    /// <summary>Sign-in attempts per client address and user name and minute, right or wrong.</summary>
    [Range(1, 100_000, ErrorMessage = OptionsMessages.Between)]
    public int SignInsPerMinute { get; set; } = 20;

    /// <summary>
    /// Origins (<c>https://host[:port]</c>) the console may be reached through besides the request's
    /// own host: needed only behind a reverse proxy that rewrites the Host header.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];

    /// <summary>An empty token counts as unset; a weak one (<see cref="AdminTokenStrength"/>) is refused, naming the key but never the token.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Token is { Length: > 0 } token && !AdminTokenStrength.IsStrong(token))
        {
            yield return new ValidationResult(AdminTokenStrength.Rule, [nameof(Token)]);
        }
    }
}
