namespace Synapse.Gateway.Security;

/// <summary>Who may do what: the admin API is the one place this is decided.</summary>
public static class AdminPolicies
{
    /// <summary>Reading: an admin or an auditor (the admin token is an admin).</summary>
    public const string Read = "SynapseAdminRead";

    /// <summary>Changing anything: an admin only.</summary>
    public const string Write = "SynapseAdminWrite";

    /// <summary>The Orleans dashboard: HTTP Basic with the admin token.</summary>
    public const string Dashboard = "SynapseDashboard";
}
