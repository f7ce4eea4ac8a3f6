using System.Data.Common;
using System.Text;
using Microsoft.Data.Sqlite;
using Npgsql;
using Microsoft.Extensions.Configuration;
using Synapse.Audit;
using Synapse.Configuration;

namespace Synapse.Persistence.Storage;

/// <summary>
/// Where Synapse keeps its durable data: an embedded SQLite file (all-in-one) or PostgreSQL
/// (cluster). The connection string can hold a password, so it never appears in <see cref="ToString"/>.
/// </summary>
public sealed record SynapseDatabase(DatabaseEngine Engine, string ConnectionString)
{
    /// <summary>The configuration key (under <c>ConnectionStrings</c>) that selects the cluster mode.</summary>
    public const string PostgresConnectionStringName = "Postgres";

    /// <summary>The SQLite file name inside the data directory.</summary>
    public const string SqliteFileName = "synapse.db";

    // Orleans' ADO.NET providers load the driver by reflection from this invariant name. In 10.4.2
    // "System.Data.SQLite" is served by Microsoft.Data.Sqlite's SqliteFactory, not by the
    // System.Data.SQLite package.
    internal const string NpgsqlInvariant = "Npgsql";
    internal const string SqliteInvariant = "System.Data.SQLite";

    // Microsoft.Data.Sqlite retries a statement that meets a locked database until the command
    // timeout passes; concurrent grain writes in one process wait their turn instead of failing.
    private const int SqliteBusyTimeoutSeconds = 30;

    /// <summary>The ADO.NET invariant name the Orleans providers need for <see cref="Engine"/>.</summary>
    public string Invariant => Engine switch
    {
        DatabaseEngine.Postgres => NpgsqlInvariant,
        DatabaseEngine.Sqlite => SqliteInvariant,
        _ => throw new InvalidOperationException($"Unknown database engine {Engine}."),
    };

    /// <summary>A new, unopened connection to this database.</summary>
    public DbConnection CreateConnection() => Engine switch
    {
        DatabaseEngine.Postgres => new NpgsqlConnection(ConnectionString),
        DatabaseEngine.Sqlite => new SqliteConnection(ConnectionString),
        _ => throw new InvalidOperationException($"Unknown database engine {Engine}."),
    };

    /// <summary>
    /// The login for audit writes: <c>ConnectionStrings:PostgresAudit</c> when set, else this
    /// database's own (SQLite has no logins).
    /// </summary>
    public string AuditConnectionString { get; init; } = ConnectionString;

    /// <summary>
    /// Chooses the database from configuration while the process is composed (the hosting mode and
    /// the clustering depend on it): PostgreSQL when <c>ConnectionStrings:Postgres</c> is set,
    /// otherwise a SQLite file at <c>{dataDirectory}/synapse.db</c> (the directory is created). The
    /// one read of <see cref="ConnectionStringOptions"/>: a string that does not parse stops the
    /// composition with one line naming its key. Without <paramref name="create"/> (the audit
    /// tools), a SQLite file is opened only if it exists: nothing is created.
    /// </summary>
    public static SynapseDatabase FromConfiguration(IConfiguration configuration, string dataDirectory, bool create = true)
    {
        var connectionStrings = ConnectionStrings(configuration);
        if (!string.IsNullOrWhiteSpace(connectionStrings.Postgres))
        {
            return new SynapseDatabase(DatabaseEngine.Postgres, connectionStrings.Postgres)
            {
                AuditConnectionString = connectionStrings.PostgresAudit is { Length: > 0 } audit ? audit : connectionStrings.Postgres,
            };
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(dataDirectory);
        return ForSqliteFile(Path.Combine(dataDirectory, SqliteFileName), create);
    }

    /// <summary>The engine <see cref="FromConfiguration"/> chooses, without creating anything.</summary>
    public static DatabaseEngine EngineOf(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(ConnectionStrings(configuration).Postgres) ? DatabaseEngine.Sqlite : DatabaseEngine.Postgres;

    private static ConnectionStringOptions ConnectionStrings(IConfiguration configuration) =>
        OptionsReader.Read<ConnectionStringOptions>(configuration, ConnectionStringOptions.SectionName);

    /// <summary>
    /// A SQLite database in the given file. The file (and its directory) is created owner-only if
    /// missing, before SQLite opens it: SQLite gives its -wal and -shm files the database file's
    /// mode. Files an earlier release created with the default mode lose group and other access.
    /// Without <paramref name="create"/>, neither is created nor changed, and SQLite is told never
    /// to create the file (opening a missing one fails).
    /// </summary>
    public static SynapseDatabase ForSqliteFile(string path, bool create = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);

        var fullPath = Path.GetFullPath(path);
        if (create)
        {
            OwnerOnlyFiles.CreateDirectory(Path.GetDirectoryName(fullPath)!);
            OwnerOnlyFiles.EnsureFile(fullPath);
            foreach (var file in new[] { fullPath, fullPath + "-wal", fullPath + "-shm", fullPath + "-journal" })
            {
                OwnerOnlyFiles.Restrict(file);
            }
        }

        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = fullPath,
            Mode = create ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            Pooling = true,
            DefaultTimeout = SqliteBusyTimeoutSeconds,
        };
        return new SynapseDatabase(DatabaseEngine.Sqlite, builder.ConnectionString);
    }

    // Records print every property by default; the connection string is left out on purpose.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Engine = ").Append(Engine);
        return true;
    }
}
