using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Audit;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;
using Synapse.Silo.Audit;

namespace Synapse.Tests.Audit;

/// <summary>
/// One audit log for one test: a database with the schema, fresh keys, a data directory whose
/// <c>audit-checkpoints</c> holds the manifest's copy, and writers started as a silo starts them
/// (the start-up checks first).
/// </summary>
internal sealed class AuditHarness : IAsyncDisposable
{
    private readonly List<AuditBatchWriter> _writers = [];

    private AuditHarness(SynapseDatabase database, string dataDirectory, byte[]? hashKey)
    {
        Database = database;
        DataDirectory = dataDirectory;
        HashKey = hashKey ?? RandomNumberGenerator.GetBytes(32);
        SigningKey = RandomNumberGenerator.GetBytes(32);
        Keys = new AuditKeys(HashKey, SigningKey);
        Chain = new AuditChain(Keys);
        Store = AuditStores.Create(database);
        ManifestStore = AuditStores.CreateManifestStore(database);
        Checkpoints = new AuditCheckpointDirectory(Path.Combine(dataDirectory, "audit-checkpoints"));
        Manifest = new AuditManifest(ManifestStore, Checkpoints, new AuditManifestSigner(Keys), NullLogger<AuditManifest>.Instance);
        Digester = new AuditDigester(Keys);
    }

    public SynapseDatabase Database { get; }

    public string DataDirectory { get; }

    public byte[] HashKey { get; }

    public byte[] SigningKey { get; }

    public AuditKeys Keys { get; }

    public AuditChain Chain { get; }

    public IAuditStore Store { get; }

    public IAuditManifestStore ManifestStore { get; }

    public AuditCheckpointDirectory Checkpoints { get; }

    public AuditManifest Manifest { get; }

    public AuditDigester Digester { get; }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "synapse-tests", "audit-" + Guid.NewGuid().ToString("N"));

    public static async Task<AuditHarness> CreateAsync(SynapseDatabase database, string dataDirectory, byte[]? hashKey = null)
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        return new AuditHarness(database, dataDirectory, hashKey);
    }

    public async Task<AuditBatchWriter> StartWriterAsync(AuditOptions? options = null, TimeProvider? time = null)
    {
        await new AuditLogStartCheck(Store, Manifest, Keys).RunAsync(CancellationToken.None);
        var writer = new AuditBatchWriter(Store, Manifest, Chain, options ?? new AuditOptions(), time ?? TimeProvider.System, NullLogger<AuditBatchWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);
        _writers.Add(writer);
        return writer;
    }

    public Task<AuditVerificationResult> VerifyAsync() => new AuditVerifier(Store, Manifest, Chain).VerifyAsync(CancellationToken.None);

    public async Task<List<AuditRow>> RowsAsync()
    {
        var rows = new List<AuditRow>();
        await foreach (var row in Store.ReadAllAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    public async Task<List<AuditManifestRecord>> ManifestAsync()
    {
        var records = new List<AuditManifestRecord>();
        await foreach (var record in ManifestStore.ReadAllAsync(CancellationToken.None))
        {
            records.Add(record);
        }

        return records;
    }

    /// <summary>The manifest's files in the checkpoint directory.</summary>
    public string[] CheckpointFiles() =>
        Directory.Exists(Checkpoints.Path) ? Directory.GetFiles(Checkpoints.Path, "*" + AuditCheckpointDirectory.Extension) : [];

    /// <summary>Settings for <see cref="AuditCommandLine"/> pointing at this log.</summary>
    public Dictionary<string, string?> CommandLineSettings() => new()
    {
        ["Synapse:DataDirectory"] = DataDirectory,
        ["Synapse:Audit:HashKey"] = Convert.ToBase64String(HashKey),
        ["Synapse:Audit:SigningKey"] = Convert.ToBase64String(SigningKey),
        ["Synapse:Audit:CheckpointDirectory"] = Checkpoints.Path,
        ["ConnectionStrings:Postgres"] = Database.Engine == DatabaseEngine.Postgres ? Database.ConnectionString : null,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            await writer.DisposeAsync();
        }

        foreach (var resource in new object[] { Store, ManifestStore })
        {
            if (resource is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }
}
