using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Synapse.Persistence.Accounts;

namespace Synapse.Gateway.Security;

/// <summary>
/// Checks a user name and password. Every refusal looks the same to the caller (unknown name,
/// wrong password, locked or disabled account) and costs the same PBKDF2 work, so neither the
/// answer nor its timing tells which names exist. Wrong passwords in a row lock the account. An
/// account whose seal fails (<see cref="AdminAccount.Broken"/>) is refused whatever the password.
/// </summary>
internal sealed class AdminSignIn(AdminAccountStore store, IPasswordHasher<AdminAccount> hasher, IOptions<AdminSecurityOptions> options, TimeProvider timeProvider)
{
    private readonly Lazy<string> _decoyHash = new(() => hasher.HashPassword(null!, Guid.NewGuid().ToString("N")));

    /// <summary>The account on success; otherwise null and why (for the audit log only), and the account name if it exists.</summary>
    public async Task<(AdminAccount? Account, string? Reason, string? KnownUsername)> CheckAsync(string username, string password, CancellationToken cancellationToken)
    {
        var account = await store.FindAsync(username, cancellationToken).ConfigureAwait(false);
        var verdict = hasher.VerifyHashedPassword(account!, account?.PasswordHash ?? _decoyHash.Value, password);
        if (account is null)
        {
            return (null, "unknown_account", null);
        }

        // A row whose seal fails was written without the key: its password hash may be the
        // writer's. Refused like a wrong password, before the lock is counted against it.
        if (account.Broken)
        {
            return (null, "seal_broken", account.Username);
        }

        var now = timeProvider.GetUtcNow();
        if (account.Disabled)
        {
            return (null, "disabled", account.Username);
        }

        if (account.LockedUntil is { } lockedUntil && lockedUntil > now)
        {
            return (null, "locked", account.Username);
        }

        if (verdict == PasswordVerificationResult.Failed)
        {
            var settings = options.Value;
            await store.RecordFailedSignInAsync(account.Username, settings.MaxFailedSignIns, now.AddMinutes(settings.LockoutMinutes), cancellationToken).ConfigureAwait(false);
            return (null, "wrong_password", account.Username);
        }

        if (verdict == PasswordVerificationResult.SuccessRehashNeeded)
        {
            var rehashed = hasher.HashPassword(account, password);
            await store.ChangeAsync(account.Username, a => a with { PasswordHash = rehashed }, revokeSessions: false, now, cancellationToken).ConfigureAwait(false);
        }

        if (account.FailedSignIns > 0 || account.LockedUntil is not null)
        {
            await store.RecordSignInAsync(account.Username, cancellationToken).ConfigureAwait(false);
        }

        return (account, null, account.Username);
    }
}
