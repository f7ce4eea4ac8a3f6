using System.Data.Common;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Accounts;

/// <summary>
/// Brings <c>admin_accounts</c> and <c>admin_sessions</c> created before rows were sealed up to the
/// current columns (<see cref="MissingColumns"/>): a <c>seal</c> on each. Existing accounts are
/// left unsealed here (the installer has no key); the first all-in-one start of this release seals
/// them once (<c>AccountSealUpgrade</c>), and in a cluster an admin resets them. Existing sessions
/// are deleted: they were stored as the SHA-256 of their id, which no cookie matches any more.
/// </summary>
internal static class AccountSchemaUpgrade
{
    private static readonly (string Name, string Postgres, string Sqlite)[] SealColumn = [("seal", "text", "TEXT")];

    public static async Task AddMissingColumnsAsync(DbConnection connection, DbTransaction transaction, DatabaseEngine engine, CancellationToken cancellationToken)
    {
        await MissingColumns.AddAsync(connection, transaction, engine, "admin_accounts", SealColumn, cancellationToken).ConfigureAwait(false);
        await MissingColumns.AddAsync(connection, transaction, engine, "admin_sessions", SealColumn, cancellationToken).ConfigureAwait(false);
        await DbCommands.ExecuteAsync(connection, transaction, "DELETE FROM admin_sessions WHERE seal IS NULL", cancellationToken).ConfigureAwait(false);
    }
}
