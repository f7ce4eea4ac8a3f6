using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Hosting.Audit;
using Synapse.Persistence.Audit;
using Synapse.Silo.Audit;
using Synapse.Persistence.Storage;

using Synapse.Persistence.Schema;

namespace Synapse.Tests.Audit;

/// <summary>One audit log for one test: a database with the audit schema, fresh keys, a data directory.</summary>
internal sealed class AuditHarness : IAsyncDisposable
{
    private readonly List<AuditBatchWriter> _writers = [];

    private AuditHarness(SynapseDatabase database, string dataDirectory)
    {
        Database = database;
        DataDirectory = dataDirectory;
        HashKey = RandomNumberGenerator.GetBytes(32);
        SigningKey = RandomNumberGenerator.GetBytes(32);
        Keys = new AuditKeys(HashKey, SigningKey);
        Store = AuditStores.Create(database);
        Checkpoints = new AuditCheckpointLog(Path.Combine(dataDirectory, "audit-checkpoints"));
        Digester = new AuditDigester(Keys);
    }

    public SynapseDatabase Database { get; }

    public string DataDirectory { get; }

    public byte[] HashKey { get; }

    public byte[] SigningKey { get; }

    public AuditKeys Keys { get; }

    public IAuditStore Store { get; }

    public AuditCheckpointLog Checkpoints { get; }

    public AuditDigester Digester { get; }

    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "synapse-tests", "audit-" + Guid.NewGuid().ToString("N"));

    public static async Task<AuditHarness> CreateAsync(SynapseDatabase database, string dataDirectory)
    {
        await SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None);
        return new AuditHarness(database, dataDirectory);
    }

    public AuditBatchWriter StartWriter(AuditOptions? options = null, TimeProvider? time = null)
    {
        var writer = new AuditBatchWriter(Store, Checkpoints, new AuditCheckpointSigner(Keys), options ?? new AuditOptions(), time ?? TimeProvider.System, NullLogger<AuditBatchWriter>.Instance);
        writer.Start();
        _writers.Add(writer);
        return writer;
    }

    public Task<AuditVerificationResult> VerifyAsync() =>
        new AuditVerifier(Store, Checkpoints, new AuditCheckpointSigner(Keys)).VerifyAsync(CancellationToken.None);

    public async Task<List<AuditRow>> RowsAsync()
    {
        var rows = new List<AuditRow>();
        await foreach (var row in Store.ReadAllAsync(CancellationToken.None))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>Settings for <see cref="AuditCommandLine"/> pointing at this log.</summary>
    public Dictionary<string, string?> CommandLineSettings() => new()
    {
        ["Synapse:DataDirectory"] = DataDirectory,
        ["Synapse:Audit:HashKey"] = Convert.ToBase64String(HashKey),
        ["Synapse:Audit:SigningKey"] = Convert.ToBase64String(SigningKey),
        ["ConnectionStrings:Postgres"] = Database.Engine == DatabaseEngine.Postgres ? Database.ConnectionString : null,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var writer in _writers)
        {
            await writer.DisposeAsync();
        }

        if (Store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
