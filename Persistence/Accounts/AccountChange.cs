namespace Synapse.Persistence.Accounts;

/// <summary>The result of <see cref="AdminAccountStore.ChangeAsync"/>: the account before and after, or why nothing changed.</summary>
public sealed record AccountChange(AccountChangeStatus Status, AdminAccount? Before = null, AdminAccount? After = null);

public enum AccountChangeStatus
{
    Changed,
    NotFound,

    /// <summary>Refused: the change would leave no enabled admin account.</summary>
    LastAdmin,
}
