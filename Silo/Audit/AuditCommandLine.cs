using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Audit;
using Synapse.Configuration;
using Synapse.Hosting;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Storage;

namespace Synapse.Silo.Audit;

/// <summary>
/// The examiner's commands, run against the configured database (<c>ConnectionStrings:Postgres</c>,
/// else the data directory's SQLite file), checkpoint directory and keys, which they never
/// generate: <c>audit verify</c>, <c>audit prove --id N|EVENT-UUID --text-file F [--kind prompt|response]</c>
/// and, once when upgrading from the first release, <c>audit seal-legacy [--legacy-signing-key-file F]</c>.
/// They print one JSON object. Exit codes: 0 verified/proved/sealed, 1 broken/not proved/not
/// sealed, 2 usage or setup error.
/// </summary>
public static class AuditCommandLine
{
    private const string Usage = """
        usage: audit verify
               audit prove --id <id or event id (uuid)> --text-file <file> [--kind prompt|response]
               audit seal-legacy [--legacy-signing-key-file <file>]
        """;

    /// <summary>How the examiner's commands (and <c>backup</c>) print their one JSON object.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static bool IsAuditCommand(string[] args) =>
        args is { Length: > 0 } && string.Equals(args[0], "audit", StringComparison.OrdinalIgnoreCase);

    /// <summary>Runs one command; its JSON goes to <paramref name="output"/> (standard output by
    /// default), what an examiner should know besides it to <paramref name="errors"/> (standard error).</summary>
    public static async Task<int> RunAsync(string[] args, IConfiguration configuration, TextWriter? output = null, TextWriter? errors = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        output ??= Console.Out;
        errors ??= Console.Error;
        try
        {
            var command = args.Length > 1 ? args[1] : null;
            var options = args.Length > 2 ? args[2..] : [];
            if (Unexpected(options, command) is { } unexpected)
            {
                return UsageError($"audit {command}: unexpected argument '{unexpected}'.");
            }

            return command switch
            {
                "verify" => await VerifyAsync(configuration, output, errors).ConfigureAwait(false),
                "prove" => await ProveAsync(options, configuration, output).ConfigureAwait(false),
                "seal-legacy" => await SealLegacyAsync(options, configuration, output).ConfigureAwait(false),
                _ => UsageError(),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or FormatException or System.Data.Common.DbException)
        {
            await errors.WriteLineAsync($"audit: {e.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task<int> VerifyAsync(IConfiguration configuration, TextWriter output, TextWriter errors)
    {
        var (result, keysUsed) = await VerifyLogAsync(configuration).ConfigureAwait(false);
        await output.WriteLineAsync(JsonSerializer.Serialize(result, Json)).ConfigureAwait(false);
        if (!result.Ok)
        {
            // An intact log checked with another install's keys fails like a forged one: the
            // examiner is told which keys were used before concluding it was tampered with.
            await errors.WriteLineAsync($"audit verify: checked with {keysUsed}; a log written with other keys fails the same way.").ConfigureAwait(false);
        }

        return result.Ok ? 0 : 1;
    }

    /// <summary>Verifies the log <paramref name="configuration"/> names, with its keys (never
    /// generated); says where those keys came from.</summary>
    internal static async Task<(AuditVerificationResult Result, string KeysUsed)> VerifyLogAsync(IConfiguration configuration)
    {
        await using var log = AuditLog.Open(configuration);
        return (await log.Verifier.VerifyAsync(CancellationToken.None).ConfigureAwait(false), log.KeysUsed);
    }

    /// <summary>
    /// The data directory and the database <paramref name="configuration"/> names, which must exist:
    /// they are examined, never made (an empty database in the wrong directory would only fail with
    /// "no such table" and be left behind).
    /// </summary>
    internal static (string DataDirectory, SynapseDatabase Database) ExistingDatabase(IConfiguration configuration)
    {
        var dataDirectory = Hosting.DataDirectory.Locate(configuration);
        var database = SynapseDatabase.FromConfiguration(configuration, dataDirectory, create: false);
        if (database.Engine == DatabaseEngine.Sqlite && Path.Combine(dataDirectory, SynapseDatabase.SqliteFileName) is var file && !File.Exists(file))
        {
            throw new StartupConfigurationException(
                $"No audit log at {file}: set {Hosting.DataDirectory.ConfigurationKey} (environment Synapse__DataDirectory) to the gateway's data directory (a relative one is taken from the working directory; `dotnet run --project Gateway.Api` keeps it in Gateway.Api/data), or ConnectionStrings:Postgres for a cluster.");
        }

        return (dataDirectory, database);
    }

    /// <summary>The checkpoint directory of the log <paramref name="configuration"/> names, as its writers use it.</summary>
    internal static string CheckpointDirectoryOf(IConfiguration configuration)
    {
        var dataDirectory = Hosting.DataDirectory.Locate(configuration);
        var options = OptionsReader.Read<AuditOptions>(configuration, AuditOptions.SectionName);
        return AuditServiceCollectionExtensions.CheckpointDirectory(options, dataDirectory, clustered: false);
    }

    private static async Task<int> ProveAsync(string[] options, IConfiguration configuration, TextWriter output)
    {
        var id = Option(options, "--id");
        var textFile = Option(options, "--text-file");
        var kind = Option(options, "--kind");
        long? rowId = long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null;
        Guid? eventId = rowId is null && Guid.TryParse(id, out var uuid) ? uuid : null;
        if ((rowId is null && eventId is null) || textFile is null
            || kind is not (null or AuditDigester.PromptKind or AuditDigester.ResponseKind))
        {
            return UsageError();
        }

        object asked = rowId is { } n ? n : eventId!.Value;
        var text = await File.ReadAllTextAsync(textFile).ConfigureAwait(false);
        await using var log = AuditLog.Open(configuration);
        rowId ??= await log.Lookup.FindIdAsync(eventId!.Value, CancellationToken.None).ConfigureAwait(false);
        AuditRow? row;
        try
        {
            row = rowId is { } found ? await log.Store.GetAsync(found, CancellationToken.None).ConfigureAwait(false) : null;
        }
        catch (UnreadableAuditRowException e)
        {
            // A value no writer stores (AuditRowReader): an edited row, not a setup error.
            return await NotProvedAsync(output, asked, $"The row cannot be read ({e.Reason}): it was edited.").ConfigureAwait(false);
        }

        if (row is null)
        {
            return await NotProvedAsync(output, asked, "No event has this id.").ConfigureAwait(false);
        }

        var digester = new AuditDigester(log.Keys);
        var matched = new[] { (AuditDigester.PromptKind, row.Record.PromptSha256), (AuditDigester.ResponseKind, row.Record.ResponseSha256) }
            .Where(c => (kind is null || kind == c.Item1) && digester.Matches(c.Item2, c.Item1, text))
            .Select(c => c.Item1)
            .FirstOrDefault();
        var rowIntact = await log.Verifier.IsRowIntactAsync(row, CancellationToken.None).ConfigureAwait(false);

        // The event is named by what its MAC covers (event id, partition, sequence): the id is
        // assigned by the database and a superuser can swap two rows' ids unnoticed.
        await output.WriteLineAsync(JsonSerializer.Serialize(new
        {
            proved = matched is not null && rowIntact,
            id = row.Id,
            eventId = row.Record.EventId,
            partitionId = row.PartitionId,
            partitionSeq = row.Seq,
            matched,
            rowIntact,
            requestId = row.Record.RequestId,
            time = row.Record.Time,
        }, Json)).ConfigureAwait(false);
        return matched is not null && rowIntact ? 0 : 1;
    }

    private static async Task<int> NotProvedAsync(TextWriter output, object id, string reason)
    {
        await output.WriteLineAsync(JsonSerializer.Serialize(new { proved = false, id, reason }, Json)).ConfigureAwait(false);
        return 1;
    }

    private static async Task<int> SealLegacyAsync(string[] options, IConfiguration configuration, TextWriter output)
    {
        await using var log = AuditLog.Open(configuration);
        var legacyKey = AuditKeyLoader.LoadLegacySigningKey(log.Options, log.DataDirectory, Option(options, "--legacy-signing-key-file"));
        var checkpoints = new AuditLegacyCheckpoints(log.Manifest.Directory.Path, legacyKey ?? []);
        var result = await new AuditLegacySeal(log.Store, log.Manifest, TimeProvider.System).SealAsync(checkpoints, CancellationToken.None).ConfigureAwait(false);
        await output.WriteLineAsync(JsonSerializer.Serialize(result, Json)).ConfigureAwait(false);
        return result.Sealed ? 0 : 1;
    }

    /// <summary>
    /// The first argument that is neither one of <paramref name="command"/>'s options with its value
    /// nor a configuration switch (<c>--Section:Key value</c> or <c>--Section:Key=value</c>, read by
    /// the host's command-line configuration): a mistyped option must not be ignored, as
    /// <c>audit verify --id 7</c> would verify the whole log and <c>--knd response</c> would match
    /// either digest.
    /// </summary>
    internal static string? Unexpected(string[] options, string? command)
    {
        string[] known = command switch
        {
            "prove" => ["--id", "--text-file", "--kind"],
            "seal-legacy" => ["--legacy-signing-key-file"],
            _ => [],
        };
        for (var i = 0; i < options.Length; i++)
        {
            var name = options[i].Split('=', 2)[0];
            var isSwitch = name.TrimStart('-', '/').Contains(':', StringComparison.Ordinal);
            if (!isSwitch && !known.Contains(name, StringComparer.Ordinal))
            {
                return options[i];
            }

            if (!options[i].Contains('=', StringComparison.Ordinal))
            {
                i++; // its value
            }
        }

        return null;
    }

    private static string? Option(string[] options, string name)
    {
        var index = Array.FindIndex(options, o => string.Equals(o, name, StringComparison.Ordinal));
        return index >= 0 && index + 1 < options.Length ? options[index + 1] : null;
    }

    private static int UsageError(string? problem = null)
    {
        if (problem is not null)
        {
            Console.Error.WriteLine(problem);
        }

        Console.Error.WriteLine(Usage);
        return 2;
    }

    /// <summary>The configured log, opened for examination.</summary>
    private sealed class AuditLog(string dataDirectory, AuditOptions options, AuditKeys keys, IAuditStore store, IAuditManifestStore manifestStore, AuditManifest manifest) : IAsyncDisposable
    {
        public string DataDirectory => dataDirectory;

        public AuditOptions Options => options;

        public AuditKeys Keys => keys;

        public IAuditStore Store => store;

        public AuditManifest Manifest => manifest;

        public AuditVerifier Verifier { get; } = new(store, manifest, new AuditChain(keys));

        /// <summary>Where the keys came from, for an examiner (never the keys).</summary>
        public string KeysUsed => options.HashKey is { Length: > 0 } || options.SigningKey is { Length: > 0 }
            ? $"the keys set in {AuditOptions.SectionName}:{nameof(AuditOptions.HashKey)} / {nameof(AuditOptions.SigningKey)}"
            : $"the keys in {Path.GetDirectoryName(keys.SigningKeySource)} ({AuditOptions.SectionName}:{nameof(AuditOptions.KeyDirectory)})";

        public required AuditEventLookup Lookup { get; init; }

        public static AuditLog Open(IConfiguration configuration)
        {
            var (dataDirectory, database) = ExistingDatabase(configuration);
            var clustered = database.Engine == DatabaseEngine.Postgres;

            // No host here: the settings are bound and checked once, by the validators a silo runs
            // at start, except that keys are never generated: a new key would prove nothing and
            // fail every check.
            var options = OptionsReader.Read(configuration, AuditOptions.SectionName, AuditServiceCollectionExtensions.CheckWithoutGenerating(dataDirectory, clustered));
            var checkpoints = new AuditCheckpointDirectory(AuditServiceCollectionExtensions.CheckpointDirectory(options, dataDirectory, clustered));
            var keys = AuditKeyLoader.Load(options, dataDirectory, allowGenerate: false, clustered);
            var manifestStore = AuditStores.CreateManifestStore(database);
            var manifest = new AuditManifest(manifestStore, checkpoints, new AuditManifestSigner(keys), NullLogger<AuditManifest>.Instance);
            return new AuditLog(dataDirectory, options, keys, AuditStores.Create(database), manifestStore, manifest) { Lookup = new AuditEventLookup(database) };
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var resource in new object[] { store, manifestStore })
            {
                if (resource is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }
}
