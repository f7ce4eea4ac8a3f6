namespace Synapse.Gateway.Security;

/// <summary>Claims the session handler adds besides the name and the role.</summary>
internal static class AdminClaims
{
    /// <summary>The SHA-256 of the session id (what the database stores), for sign-out.</summary>
    public const string SessionHash = "synapse:sid";

    /// <summary>The antiforgery token this session expects in <c>X-CSRF-Token</c>.</summary>
    public const string CsrfToken = "synapse:csrf";
}
