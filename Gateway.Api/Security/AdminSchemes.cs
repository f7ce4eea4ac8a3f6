namespace Synapse.Gateway.Security;

/// <summary>
/// The admin surfaces' authentication schemes. None is the default scheme, so a <c>/v1</c> request
/// never runs an admin handler (and never logs a failed admin authentication).
/// </summary>
public static class AdminSchemes
{
    /// <summary>The admin API's scheme: the bearer token when an Authorization header is sent, else the session cookie.</summary>
    public const string Admin = "SynapseAdmin";

    /// <summary><c>Authorization: Bearer &lt;admin token&gt;</c>, for automation.</summary>
    public const string Token = "SynapseAdminToken";

    /// <summary>The console's session cookie.</summary>
    public const string Session = "SynapseAdminSession";

    /// <summary>HTTP Basic with the admin token as the password: the Orleans dashboard only.</summary>
    public const string Dashboard = "SynapseDashboard";

    /// <summary>
    /// The log categories of the admin authentication handlers, which ASP.NET Core's base class
    /// names after them: its per-request Information lines ("was challenged", "was not
    /// authenticated") start at Warning, as the framework's own do: a wrong admin token is audited
    /// and throttled (<see cref="FailedAuthenticationAuditor"/>), and an ended session is a browser
    /// left open, neither worth a line per request.
    /// </summary>
    public static readonly string[] HandlerLogCategories = [typeof(AdminCredentialHandler).FullName!, typeof(AdminSessionAuthenticationHandler).FullName!];

    /// <summary>The actor of everything done with the admin token.</summary>
    public const string TokenActor = "token";
}
