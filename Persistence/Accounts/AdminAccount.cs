namespace Synapse.Persistence.Accounts;

/// <summary>
/// A named admin account. <see cref="PasswordHash"/> is ASP.NET Core Identity's PBKDF2 format and is
/// never shown; <see cref="Role"/> is <c>admin</c> or <c>auditor</c> (<see cref="AdminRoles"/>).
/// <see cref="Broken"/>: the row's seal did not verify (<see cref="AccountSeals"/>): it was written
/// by someone without the key, so its role, password and state are not to be believed and the
/// account grants nothing until an admin resets it.
/// </summary>
public sealed record AdminAccount(
    string Username,
    string PasswordHash,
    string Role,
    bool Disabled,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    bool Broken = false);
