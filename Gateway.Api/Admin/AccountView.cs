using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Admin;

/// <summary>An account as the API shows it: never its password hash.</summary>
public sealed record AccountView(string Username, string Role, bool Disabled, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static AccountView From(AdminAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return new(account.Username, account.Role, account.Disabled, account.LockedUntil, account.CreatedAt, account.UpdatedAt);
    }
}
