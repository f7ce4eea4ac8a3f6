using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Admin;

/// <summary>
/// An account as the API shows it: never its password hash. A <see cref="Broken"/> account (its
/// row fails its seal: written without the key) shows no role and as disabled, since it grants
/// nothing, not what its row claims; an admin resets it with a new password and role.
/// </summary>
public sealed record AccountView(string Username, string? Role, bool Disabled, DateTimeOffset? LockedUntil, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Broken)
{
    public static AccountView From(AdminAccount account)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.Broken
            ? new(account.Username, null, true, null, account.CreatedAt, account.UpdatedAt, Broken: true)
            : new(account.Username, account.Role, account.Disabled, account.LockedUntil, account.CreatedAt, account.UpdatedAt, Broken: false);
    }
}
