namespace Synapse.Persistence.Accounts;

/// <summary>The two roles: an admin may do everything, an auditor reads and changes nothing.</summary>
public static class AdminRoles
{
    public const string Admin = "admin";
    public const string Auditor = "auditor";

    public static bool IsKnown(string? role) => role is Admin or Auditor;
}
