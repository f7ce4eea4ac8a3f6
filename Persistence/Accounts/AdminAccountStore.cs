using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Accounts;

/// <summary>
/// Admin accounts and sessions in the database (<c>Schema/Sql/{engine}/30-accounts.sql</c>), one SQL
/// text for both engines. Every change that could remove the last enabled admin runs in one
/// transaction that first locks the setup row and checks, before committing, that an enabled admin
/// is left; changing a password, role or disabling an account deletes its sessions in that transaction.
/// </summary>
/// <remarks>
/// Every row is sealed (<see cref="AccountSeals"/>) as it is written, and every read checks the
/// seal: an account whose seal fails comes back <see cref="AdminAccount.Broken"/> (and grants
/// nothing), a session whose seal or account fails is no session, and each such row is logged.
/// The failed-sign-in count and the lock are not sealed: they are counted in one SQL statement, so
/// concurrent wrong passwords are all counted, and clearing them only lets the real password in
/// sooner; setting them locks the owner out, which a database writer can do anyway by deleting rows.
/// </remarks>
public sealed partial class AdminAccountStore(SynapseDatabase database, AccountSeals seals, ILogger<AdminAccountStore> logger)
{
    private const string Columns = "username, password_hash, role, disabled, failed_sign_ins, locked_until, created_at, updated_at, seal";

    private const string InsertSql = $"""
        INSERT INTO admin_accounts ({Columns}) VALUES (@username, @password_hash, @role, @disabled, 0, NULL, @now, @now, @seal)
        ON CONFLICT (username) DO NOTHING
        """;

    private const string UpdateSql = """
        UPDATE admin_accounts SET password_hash = @password_hash, role = @role, disabled = @disabled,
            failed_sign_ins = @failed, locked_until = @locked_until, updated_at = @now, seal = @seal
        WHERE username = @username
        """;

    public async Task<bool> AnyAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await using var command = DbCommands.Create(connection, null, "SELECT 1 FROM admin_setup WHERE id = 1");
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>Creates the first account; false when setup was already done (by anyone, at any time).</summary>
    public async Task<bool> CreateFirstAsync(string username, string passwordHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var claimed = await DbCommands.ExecuteAsync(connection, transaction,
            "INSERT INTO admin_setup (id, done_at, username) VALUES (1, @now, @username) ON CONFLICT (id) DO NOTHING",
            cancellationToken, ("now", now.ToUnixTimeMilliseconds()), ("username", username)).ConfigureAwait(false);
        if (claimed == 0)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return false;
        }

        await InsertAsync(connection, transaction, username, passwordHash, AdminRoles.Admin, now, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Creates an account; false when the user name is taken.</summary>
    public async Task<bool> CreateAsync(string username, string passwordHash, string role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        return await InsertAsync(connection, null, username, passwordHash, role, now, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AdminAccount?> FindAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        return await FindAsync(connection, null, username, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<AdminAccount>> ListAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await using var command = DbCommands.Create(connection, null, $"SELECT {Columns} FROM admin_accounts ORDER BY username");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var accounts = new List<AdminAccount>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            accounts.Add(ReadAccount(reader));
        }

        return accounts;
    }

    /// <summary>
    /// Applies <paramref name="change"/> to an account. With <paramref name="revokeSessions"/> its
    /// sessions are deleted in the same transaction. Refused when no enabled admin would be left, and
    /// for a broken account (its seal fails) unless the change replaces the password hash.
    /// </summary>
    public async Task<AccountChange> ChangeAsync(string username, Func<AdminAccount, AdminAccount> change, bool revokeSessions, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        // A write to the setup row serialises account changes on both engines (a row lock on
        // PostgreSQL, the database's write lock on SQLite).
        await DbCommands.ExecuteAsync(connection, transaction, "UPDATE admin_setup SET done_at = done_at WHERE id = 1", cancellationToken).ConfigureAwait(false);
        if (await FindAsync(connection, transaction, username, cancellationToken).ConfigureAwait(false) is not { } before)
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return new AccountChange(AccountChangeStatus.NotFound);
        }

        var after = change(before) with { Username = before.Username, CreatedAt = before.CreatedAt, UpdatedAt = now, Broken = false };
        if (before.Broken && string.Equals(after.PasswordHash, before.PasswordHash, StringComparison.Ordinal))
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return new AccountChange(AccountChangeStatus.Broken, before);
        }

        await DbCommands.ExecuteAsync(connection, transaction, UpdateSql, cancellationToken,
            ("password_hash", after.PasswordHash), ("role", after.Role), ("disabled", after.Disabled ? 1 : 0),
            ("failed", after.FailedSignIns), ("locked_until", after.LockedUntil?.ToUnixTimeMilliseconds()),
            ("now", now.ToUnixTimeMilliseconds()), ("seal", seals.Seal(after)), ("username", username)).ConfigureAwait(false);
        if (revokeSessions)
        {
            await DbCommands.ExecuteAsync(connection, transaction, "DELETE FROM admin_sessions WHERE username = @username", cancellationToken, ("username", username)).ConfigureAwait(false);
        }

        // Counted by their seals, not by SQL alone: a row a database writer added or promoted must
        // not stand in for the last real admin.
        if (!await AnyEnabledAdminAsync(connection, transaction, cancellationToken).ConfigureAwait(false))
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
            return new AccountChange(AccountChangeStatus.LastAdmin, before);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AccountChange(AccountChangeStatus.Changed, before, after);
    }

    /// <summary>Counts a failed sign-in; at <paramref name="maxFailures"/> the account is locked until <paramref name="lockedUntil"/>.</summary>
    public async Task RecordFailedSignInAsync(string username, int maxFailures, DateTimeOffset lockedUntil, CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, null, """
            UPDATE admin_accounts SET
                locked_until = CASE WHEN failed_sign_ins + 1 >= @max THEN @until ELSE locked_until END,
                failed_sign_ins = CASE WHEN failed_sign_ins + 1 >= @max THEN 0 ELSE failed_sign_ins + 1 END
            WHERE username = @username
            """, cancellationToken, ("max", maxFailures), ("until", lockedUntil.ToUnixTimeMilliseconds()), ("username", username)).ConfigureAwait(false);
    }

    public async Task RecordSignInAsync(string username, CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, null, "UPDATE admin_accounts SET failed_sign_ins = 0, locked_until = NULL WHERE username = @username",
            cancellationToken, ("username", username)).ConfigureAwait(false);
    }

    /// <summary>
    /// Seals the rows an earlier release wrote (no seal yet) and returns how many; only for the one
    /// start that upgrades an install, before anyone but its owner could have written the database
    /// (<c>AccountSealUpgrade</c>). Afterwards a row without a seal is broken like a forged one.
    /// </summary>
    public async Task<int> SealUnsealedAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var unsealed = new List<AdminAccount>();
        await using (var command = DbCommands.Create(connection, transaction, $"SELECT {Columns} FROM admin_accounts WHERE seal IS NULL"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                unsealed.Add(Read(reader));
            }
        }

        foreach (var account in unsealed)
        {
            await DbCommands.ExecuteAsync(connection, transaction, "UPDATE admin_accounts SET seal = @seal WHERE username = @username AND seal IS NULL",
                cancellationToken, ("seal", seals.Seal(account)), ("username", account.Username)).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return unsealed.Count;
    }

    /// <summary>Stores a new session, and drops the sessions that have expired meanwhile (anyone's).</summary>
    public async Task CreateSessionAsync(AdminSession session, DateTimeOffset idleCutoff, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, transaction, "DELETE FROM admin_sessions WHERE expires_at <= @now OR last_seen_at <= @idle", cancellationToken,
            ("now", session.CreatedAt.ToUnixTimeMilliseconds()), ("idle", idleCutoff.ToUnixTimeMilliseconds())).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, transaction, """
            INSERT INTO admin_sessions (id_hash, username, created_at, last_seen_at, expires_at, seal)
            VALUES (@id, @username, @created, @created, @expires, @seal)
            """, cancellationToken, ("id", session.IdHash), ("username", session.Username),
            ("created", session.CreatedAt.ToUnixTimeMilliseconds()), ("expires", session.ExpiresAt.ToUnixTimeMilliseconds()), ("seal", seals.Seal(session))).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The session and its account, read together so that a role or a disabling applies at once;
    /// null when either's seal fails (a row written without the key is no session).
    /// </summary>
    public async Task<(AdminSession Session, AdminAccount Account)?> FindSessionAsync(string idHash, CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await using var command = DbCommands.Create(connection, null, $"""
            SELECT s.id_hash, s.username, s.created_at, s.last_seen_at, s.expires_at, s.seal,
                   a.username, a.password_hash, a.role, a.disabled, a.failed_sign_ins, a.locked_until, a.created_at, a.updated_at, a.seal
            FROM admin_sessions s JOIN admin_accounts a ON a.username = s.username
            WHERE s.id_hash = @id
            """, ("id", idHash));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var session = new AdminSession(reader.GetString(0), reader.GetString(1), Time(reader, 2)!.Value, Time(reader, 3)!.Value, Time(reader, 4)!.Value);
        if (!seals.Holds(session, reader.IsDBNull(5) ? null : reader.GetString(5)))
        {
            Log.SessionSealBroken(logger, session.Username);
            return null;
        }

        var account = ReadAccount(reader, offset: 6);
        return account.Broken ? null : (session, account);
    }

    public async Task TouchSessionAsync(string idHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, null, "UPDATE admin_sessions SET last_seen_at = @now WHERE id_hash = @id", cancellationToken,
            ("now", now.ToUnixTimeMilliseconds()), ("id", idHash)).ConfigureAwait(false);
    }

    public async Task<bool> DeleteSessionAsync(string idHash, CancellationToken cancellationToken)
    {
        await using var connection = await DbCommands.OpenAsync(database, cancellationToken).ConfigureAwait(false);
        return await DbCommands.ExecuteAsync(connection, null, "DELETE FROM admin_sessions WHERE id_hash = @id", cancellationToken, ("id", idHash)).ConfigureAwait(false) > 0;
    }

    private async Task<bool> InsertAsync(DbConnection connection, DbTransaction? transaction, string username, string passwordHash, string role, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var seal = seals.Seal(new AdminAccount(username, passwordHash, role, Disabled: false, 0, null, now, now));
        return await DbCommands.ExecuteAsync(connection, transaction, InsertSql, cancellationToken,
            ("username", username), ("password_hash", passwordHash), ("role", role), ("disabled", 0), ("now", now.ToUnixTimeMilliseconds()), ("seal", seal)).ConfigureAwait(false) == 1;
    }

    private async Task<AdminAccount?> FindAsync(DbConnection connection, DbTransaction? transaction, string username, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(connection, transaction, $"SELECT {Columns} FROM admin_accounts WHERE username = @username", ("username", username));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadAccount(reader) : null;
    }

    private async Task<bool> AnyEnabledAdminAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = DbCommands.Create(connection, transaction, $"SELECT {Columns} FROM admin_accounts WHERE role = @role AND disabled = 0", ("role", AdminRoles.Admin));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!ReadAccount(reader).Broken)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>An account row (the <see cref="Columns"/> from <paramref name="offset"/>) with its seal checked; a failed seal is logged.</summary>
    private AdminAccount ReadAccount(DbDataReader r, int offset = 0)
    {
        var account = Read(r, offset);
        var seal = r.IsDBNull(offset + 8) ? null : r.GetString(offset + 8);
        if (seals.Holds(account, seal))
        {
            return account;
        }

        Log.AccountSealBroken(logger, account.Username);
        return account with { Broken = true };
    }

    private static AdminAccount Read(DbDataReader r, int offset = 0) => new(
        r.GetString(offset),
        r.GetString(offset + 1),
        r.GetString(offset + 2),
        Convert.ToInt64(r.GetValue(offset + 3), CultureInfo.InvariantCulture) != 0,
        Convert.ToInt32(r.GetValue(offset + 4), CultureInfo.InvariantCulture),
        Time(r, offset + 5),
        Time(r, offset + 6)!.Value,
        Time(r, offset + 7)!.Value);

    private static DateTimeOffset? Time(DbDataReader r, int ordinal) =>
        r.IsDBNull(ordinal) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture));

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "The admin account {Username} fails its seal: it was written without the key (by the database, not by Synapse) or before this release sealed accounts, and grants nothing until an admin resets its password and role (docs/security.md)")]
        public static partial void AccountSealBroken(ILogger logger, string username);

        [LoggerMessage(2, LogLevel.Warning, "A session of the admin account {Username} fails its seal: the row was written or changed without the key, and is refused")]
        public static partial void SessionSealBroken(ILogger logger, string username);
    }
}
