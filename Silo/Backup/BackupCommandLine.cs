using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Synapse.Audit;
using Synapse.Configuration;
using Synapse.Persistence.Storage;
using Synapse.Silo.Audit;

namespace Synapse.Silo.Backup;

/// <summary>
/// <c>backup &lt;directory&gt;</c>: a copy of a running all-in-one gateway's state, taken without
/// stopping it, that restores and verifies. The database is copied through SQLite's online backup
/// (one read transaction: a consistent snapshot while the gateway keeps writing), then the audit
/// checkpoint files as of that snapshot (<see cref="AuditCheckpointDirectory.CopyTo"/>), so the
/// database is at most the record being written ahead of the directory, which verification accepts.
/// The copy is then verified with the gateway's keys, which are not copied: they are kept apart
/// from the data. A cluster's PostgreSQL is backed up with
/// <c>pg_dump</c> instead. Exit codes: 0 copied and verified, 1 copied but not verified, 2 usage or
/// setup error.
/// </summary>
public static class BackupCommandLine
{
    public const string DatabaseFile = SynapseDatabase.SqliteFileName;
    public const string CheckpointFolder = "audit-checkpoints";

    private const string Usage = "usage: backup <directory>   (a new or empty directory; the gateway may keep running)";

    public static bool IsBackupCommand(string[] args) =>
        args is { Length: > 0 } && string.Equals(args[0], "backup", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs the command; its JSON goes to <paramref name="output"/> (standard output by default).</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter? output = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        output ??= Console.Out;
        var arguments = args.Skip(1).ToList();
        if (arguments.Count > 1 && AuditCommandLine.Unexpected([.. arguments.Skip(1)], command: null) is null)
        {
            arguments = [arguments[0]]; // configuration switches after the directory
        }

        if (arguments.Count != 1 || arguments[0].StartsWith('-'))
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        try
        {
            return await BackUpAsync(Path.GetFullPath(arguments[0]), configuration, output).ConfigureAwait(false);
        }
        catch (Exception e) when (e is StartupConfigurationException or IOException or UnauthorizedAccessException or SqliteException or InvalidOperationException)
        {
            await Console.Error.WriteLineAsync($"backup: {e.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task<int> BackUpAsync(string destination, IConfiguration configuration, TextWriter output)
    {
        var (_, database) = AuditCommandLine.ExistingDatabase(configuration);
        if (database.Engine != DatabaseEngine.Sqlite)
        {
            throw new StartupConfigurationException("backup copies the all-in-one gateway's SQLite database; a cluster's is PostgreSQL: back it up with pg_dump and copy the checkpoint directory first (docs/operations.md, Backup).");
        }

        if (Directory.Exists(destination) && Directory.EnumerateFileSystemEntries(destination).Any())
        {
            throw new StartupConfigurationException($"{destination} is not empty: a backup goes into a new or empty directory, and never replaces another.");
        }

        var checkpointSource = new AuditCheckpointDirectory(AuditCommandLine.CheckpointDirectoryOf(configuration));
        OwnerOnlyFiles.CreateDirectory(destination);
        var target = Path.Combine(destination, DatabaseFile);
        OwnerOnlyFiles.EnsureFile(target);
        long newestRecord;
        await using (var from = new SqliteConnection(new SqliteConnectionStringBuilder(database.ConnectionString) { Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ConnectionString))
        await using (var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = target, Pooling = false }.ConnectionString))
        {
            await from.OpenAsync().ConfigureAwait(false);
            await to.OpenAsync().ConfigureAwait(false);
            from.BackupDatabase(to);
            await using var newest = to.CreateCommand();
            newest.CommandText = "SELECT COALESCE(MAX(seq), 0) FROM audit_manifest";
            newestRecord = Convert.ToInt64(await newest.ExecuteScalarAsync().ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
        }

        // The directory after the database, as of the database copy: a record reaches the database
        // before the directory, so the copy holds every record the database copy has but the one
        // being written, and none it does not have.
        var checkpoints = Path.Combine(destination, CheckpointFolder);
        var copied = checkpointSource.CopyTo(checkpoints, newestRecord);
        OwnerOnlyFiles.CreateDirectory(checkpoints);

        // The copy as a restored gateway would see it: its data directory and checkpoints, the same keys.
        var copy = new ConfigurationBuilder()
            .AddConfiguration(configuration)
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [Hosting.DataDirectory.ConfigurationKey] = destination,
                [AuditOptions.SectionName + ":" + nameof(AuditOptions.CheckpointDirectory)] = checkpoints,
            })
            .Build();
        var (verified, _) = await AuditCommandLine.VerifyLogAsync(copy).ConfigureAwait(false);
        await output.WriteLineAsync(JsonSerializer.Serialize(new
        {
            ok = verified.Ok,
            directory = destination,
            databaseBytes = new FileInfo(target).Length,
            checkpointFiles = copied,
            verification = verified,
        }, AuditCommandLine.Json)).ConfigureAwait(false);
        return verified.Ok ? 0 : 1;
    }
}
