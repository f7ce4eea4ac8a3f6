using System.Data.Common;

using Synapse.Persistence.Accounts;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Storage;

namespace Synapse.Persistence.Schema;

/// <summary>
/// The one schema installer: every module's tables (Orleans' query catalog, clustering and grain
/// state, the audit log, alerts) from the ordered scripts of <see cref="SqlScripts"/>, in one
/// transaction, including the <c>OrleansQuery</c> rows that Orleans' ADO.NET providers read at
/// start-up (the NuGet packages ship no SQL). Silos run it as they start
/// (<see cref="SchemaSiloBuilderExtensions.AddSynapseSchema"/>); front ends never do. The scripts
/// only create what is missing and overwrite the query rows, so running it at every start-up is
/// safe, and a new release's queries replace the old ones.
/// </summary>
public static class SchemaInstaller
{
    // Any fixed 64-bit number works: it only has to be the same in every Synapse process, and
    // unlikely to be used by other software sharing the database for its own advisory locks.
    private const long PostgresInstallLockKey = 0x53796E6170736531; // "Synapse1"

    private static readonly string[] StorageQueryKeys =
    [
        "ReadFromStorageKey",
        "WriteToStorageKey",
        "ClearStorageKey",
        "DeleteStorageKey",
    ];

    // Every key Microsoft.Orleans.Clustering.AdoNet 10.4.2 requires, plus the optional
    // CleanupDefunctSiloEntryKey, which the provider prefers when it exists.
    private static readonly string[] ClusteringQueryKeys =
    [
        "GatewaysQueryKey",
        "MembershipReadRowKey",
        "MembershipReadAllKey",
        "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey",
        "InsertMembershipKey",
        "UpdateMembershipKey",
        "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "CleanupDefunctSiloEntryKey",
    ];

    /// <summary>The <c>OrleansQuery</c> keys that <see cref="EnsureCreatedAsync"/> installs for an engine.</summary>
    public static IReadOnlyList<string> GetRequiredQueryKeys(DatabaseEngine engine) => engine switch
    {
        // All-in-one mode uses localhost clustering, so SQLite only holds grain state.
        DatabaseEngine.Sqlite => StorageQueryKeys,
        DatabaseEngine.Postgres => [.. StorageQueryKeys, .. ClusteringQueryKeys],
        _ => throw new ArgumentOutOfRangeException(nameof(engine), engine, "Unknown database engine."),
    };

    /// <summary>
    /// Creates the schema for <paramref name="database"/> if it is missing and installs the queries.
    /// For PostgreSQL, concurrent callers (several processes starting at once) are serialised by an
    /// advisory lock, and the whole installation is one transaction.
    /// </summary>
    public static async Task EnsureCreatedAsync(SynapseDatabase database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);

        var scripts = SqlScripts.For(database.Engine);
        await SchemaTransaction.RunAsync(database, PostgresInstallLockKey, async (connection, transaction) =>
        {
            await RunScriptsAsync(connection, transaction, scripts, cancellationToken).ConfigureAwait(false);
            await AuditSchemaUpgrade.AddMissingColumnsAsync(connection, transaction, database.Engine, cancellationToken).ConfigureAwait(false);
            await UsageSchemaUpgrade.AddMissingColumnsAsync(connection, transaction, database.Engine, cancellationToken).ConfigureAwait(false);
            await AccountSchemaUpgrade.AddMissingColumnsAsync(connection, transaction, database.Engine, cancellationToken).ConfigureAwait(false);
            await VerifyQueryKeysAsync(connection, transaction, database.Engine, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task RunScriptsAsync(
        DbConnection connection, DbTransaction transaction, IReadOnlyList<SqlScript> scripts, CancellationToken cancellationToken)
    {
        foreach (var script in scripts)
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = script.Text;
            try
            {
                await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (DbException exception)
            {
                throw new InvalidOperationException($"Installing the database schema failed in script '{script.Name}'.", exception);
            }
        }
    }

    // A typo in a script's key would otherwise surface only later, as an Orleans start-up failure.
    private static async Task VerifyQueryKeysAsync(
        DbConnection connection, DbTransaction transaction, DatabaseEngine engine, CancellationToken cancellationToken)
    {
        var installed = new HashSet<string>(StringComparer.Ordinal);
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT QueryKey FROM OrleansQuery";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                installed.Add(reader.GetString(0));
            }
        }

        var missing = GetRequiredQueryKeys(engine).Where(key => !installed.Contains(key)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"The {engine} schema scripts did not install the Orleans queries: {string.Join(", ", missing)}.");
        }
    }
}
