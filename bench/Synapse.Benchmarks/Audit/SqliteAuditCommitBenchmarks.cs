using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Providers;
using Synapse.Persistence.Audit;
using Synapse.Persistence.Schema;
using Synapse.Persistence.Storage;

namespace Synapse.Benchmarks.Audit;

/// <summary>
/// The floor under a lone request's durable append in the all-in-one gateway: one commit of the
/// all-in-one SQLite store, as the audit writer makes it at one connection (the request's event and
/// the previous request's completion, two rows in one IMMEDIATE transaction, WAL, the default
/// <c>synchronous=FULL</c>), into the real schema with its indexes and triggers, on the disk under
/// the temporary directory. Everything above the store (the chain MACs, the writer's queue, the
/// audit grain) is left out: this is what the guarantee costs by itself.
/// </summary>
[SimpleJob(RunStrategy.Throughput, warmupCount: 3, iterationCount: 15)]
public class SqliteAuditCommitBenchmarks
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "synapse-bench-" + Guid.NewGuid().ToString("N"));
    private readonly string _hash = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    private IAuditStore _store = null!;
    private long _seq;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(_directory);
        var database = SynapseDatabase.ForSqliteFile(Path.Combine(_directory, SynapseDatabase.SqliteFileName));
        SchemaInstaller.EnsureCreatedAsync(database, CancellationToken.None).GetAwaiter().GetResult();
        _store = AuditStores.Create(database);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_directory, recursive: true);

    [Benchmark(Description = "commit of a request event and a completion")]
    public Task<AuditAppendResult> CommitTwoRows() =>
        _store.AppendAsync([Row(AuditEventKind.Request, AuditOutcomes.Allowed), Row(AuditEventKind.Completion, AuditOutcomes.Completed)], CancellationToken.None);

    private AuditRow Row(AuditEventKind kind, string outcome)
    {
        var seq = ++_seq;
        var record = AuditRecord.Create(kind, outcome, DateTimeOffset.UtcNow) with
        {
            RequestId = $"req_{seq:D24}",
            KeyId = "key_0123456789abcdef",
            TeamId = "team_0123456789",
            Model = "mock-model",
            Provider = "mock",
            ProviderLocation = ProviderLocation.Cloud,
            HttpStatus = 200,
            PromptSha256 = _hash,
            PromptTokens = 250,
            Api = "chat.completions",
            ClientAddress = "127.0.0.1",
            UserAgent = "wrk",
        };
        return new AuditRow(0, "20261202T080000000Z-0123456789ab", seq, record, _hash, _hash);
    }
}
