namespace Synapse.Persistence.Accounts;

/// <summary>
/// A named admin account. <see cref="PasswordHash"/> is ASP.NET Core Identity's PBKDF2 format and is
/// never shown; <see cref="Role"/> is <c>admin</c> or <c>auditor</c> (<see cref="AdminRoles"/>).
/// </summary>
public sealed record AdminAccount(
    string Username,
    string PasswordHash,
    string Role,
    bool Disabled,
    int FailedSignIns,
    DateTimeOffset? LockedUntil,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);
