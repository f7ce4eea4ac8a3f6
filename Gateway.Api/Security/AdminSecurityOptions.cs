using System.ComponentModel.DataAnnotations;

namespace Synapse.Gateway.Security;

/// <summary>
/// How the admin surfaces defend themselves, bound from <c>Synapse:Admin</c> and checked at start.
/// The admin token itself (<c>Synapse:Admin:Token</c>) is read by <see cref="AdminCredential"/>.
/// </summary>
public sealed class AdminSecurityOptions
{
    public const string SectionName = "Synapse:Admin";

    /// <summary>A session unused for this long ends (console sign-in).</summary>
    [Range(1, 24 * 60)]
    public int SessionIdleMinutes { get; set; } = 30;

    /// <summary>A session ends this long after sign-in, however busy.</summary>
    [Range(1, 24 * 30)]
    public int SessionAbsoluteHours { get; set; } = 12;

    /// <summary>Wrong passwords in a row that lock an account.</summary>
    [Range(1, 1000)]
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    [Range(1, 24 * 60)]
    public int LockoutMinutes { get; set; } = 15;

    /// <summary>Failed admin authentications (token, password, dashboard) one client address may make per window before it gets 429.</summary>
    [Range(1, 100_000)]
    public int FailedAuthenticationLimit { get; set; } = 10;

    /// <summary>The window of <see cref="FailedAuthenticationLimit"/>, in seconds.</summary>
    [Range(1, 24 * 3600)]
    public int FailedAuthenticationWindowSeconds { get; set; } = 300;

    /// <summary>Sign-in and setup attempts one client address may make per minute, right or wrong.</summary>
    [Range(1, 100_000)]
    public int SignInsPerMinute { get; set; } = 20;

    /// <summary>
    /// Origins (<c>https://host[:port]</c>) the console may be reached through besides the request's
    /// own host: needed only behind a reverse proxy that rewrites the Host header.
    /// </summary>
    public IList<string> AllowedOrigins { get; } = [];
}
