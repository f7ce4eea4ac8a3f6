using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Hosting;
using Synapse.Persistence.Storage;

using Synapse.Hosting.Audit;

using Synapse.Persistence.Audit;

namespace Synapse.Silo.Audit;

/// <summary>
/// <c>audit verify</c> and <c>audit prove --id N --text-file F [--kind prompt|response]</c>, run
/// against the configured database (<c>ConnectionStrings:Postgres</c>, else the data directory's
/// SQLite file) with the configured or data-directory keys. They print one JSON object. Exit codes:
/// 0 verified/proved, 1 broken/not proved, 2 usage or setup error.
/// </summary>
public static class AuditCommandLine
{
    private const string Usage = """
        usage: audit verify
               audit prove --id <event id> --text-file <file> [--kind prompt|response]
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static bool IsAuditCommand(string[] args) =>
        args is { Length: > 0 } && string.Equals(args[0], "audit", StringComparison.OrdinalIgnoreCase);

    public static async Task<int> RunAsync(string[] args, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(configuration);
        try
        {
            return (args.Length > 1 ? args[1] : null) switch
            {
                "verify" => await VerifyAsync(configuration).ConfigureAwait(false),
                "prove" => await ProveAsync(args[2..], configuration).ConfigureAwait(false),
                _ => UsageError(),
            };
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
        {
            await Console.Error.WriteLineAsync($"audit: {e.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static async Task<int> VerifyAsync(IConfiguration configuration)
    {
        var (store, keys, checkpoints) = Open(configuration);
        var result = await new AuditVerifier(store, checkpoints, new AuditCheckpointSigner(keys)).VerifyAsync(CancellationToken.None).ConfigureAwait(false);
        await (store as IAsyncDisposable ?? NoDispose.Instance).DisposeAsync().ConfigureAwait(false);
        Console.WriteLine(JsonSerializer.Serialize(result, Json));
        return result.Ok ? 0 : 1;
    }

    private static async Task<int> ProveAsync(string[] options, IConfiguration configuration)
    {
        var id = Option(options, "--id");
        var textFile = Option(options, "--text-file");
        var kind = Option(options, "--kind");
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var eventId) || textFile is null
            || kind is not (null or AuditDigester.PromptKind or AuditDigester.ResponseKind))
        {
            return UsageError();
        }

        var text = await File.ReadAllTextAsync(textFile).ConfigureAwait(false);
        var (store, keys, _) = Open(configuration);
        var row = await store.GetAsync(eventId, CancellationToken.None).ConfigureAwait(false);
        await (store as IAsyncDisposable ?? NoDispose.Instance).DisposeAsync().ConfigureAwait(false);
        if (row is null)
        {
            Console.WriteLine(JsonSerializer.Serialize(new { proved = false, id = eventId, reason = "No event has this id." }, Json));
            return 1;
        }

        var digester = new AuditDigester(keys);
        var matched = new[] { (AuditDigester.PromptKind, row.Record.PromptSha256), (AuditDigester.ResponseKind, row.Record.ResponseSha256) }
            .Where(c => (kind is null || kind == c.Item1) && digester.Matches(c.Item2, c.Item1, text))
            .Select(c => c.Item1)
            .FirstOrDefault();
        var rowIntact = AuditChain.RowHash(row.PartitionId, row.Seq, row.Record, row.PrevHash) == row.RowHash;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            proved = matched is not null,
            id = eventId,
            matched,
            rowIntact,
            requestId = row.Record.RequestId,
            time = row.Record.Time,
        }, Json));
        return matched is not null && rowIntact ? 0 : 1;
    }

    private static (IAuditStore Store, AuditKeys Keys, AuditCheckpointLog Checkpoints) Open(IConfiguration configuration)
    {
        var dataDirectory = DataDirectory.Resolve(configuration);
        var database = SynapseDatabase.FromConfiguration(configuration, dataDirectory);
        var options = configuration.GetSection(AuditOptions.SectionName).Get<AuditOptions>() ?? new();
        var checkpoints = new AuditCheckpointLog(options.CheckpointDirectory is { Length: > 0 } dir ? dir : Path.Combine(dataDirectory, "audit-checkpoints"));

        // Never generate keys here: a new key would prove nothing and fail every checkpoint.
        var keys = AuditKeyLoader.Load(configuration, dataDirectory, allowGenerate: false);
        return (AuditStores.Create(database, configuration), keys, checkpoints);
    }

    private static string? Option(string[] options, string name)
    {
        var index = Array.FindIndex(options, o => string.Equals(o, name, StringComparison.Ordinal));
        return index >= 0 && index + 1 < options.Length ? options[index + 1] : null;
    }

    private static int UsageError()
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }

    private sealed class NoDispose : IAsyncDisposable
    {
        public static readonly NoDispose Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
