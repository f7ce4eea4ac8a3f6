namespace Synapse.Persistence.Accounts;

/// <summary>The result of <see cref="AdminAccountStore.ChangeAsync"/>: the account before and after, or why nothing changed.</summary>
public sealed record AccountChange(AccountChangeStatus Status, AdminAccount? Before = null, AdminAccount? After = null);

public enum AccountChangeStatus
{
    Changed,
    NotFound,

    /// <summary>Refused: the change would leave no enabled admin account.</summary>
    LastAdmin,

    /// <summary>
    /// Refused: the account's seal fails (<see cref="AdminAccount.Broken"/>) and the change keeps its
    /// password hash, which may be whoever forged the row's; only a reset with a new password seals it again.
    /// </summary>
    Broken,
}
