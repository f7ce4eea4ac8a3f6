using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Grains.Interfaces.Providers;

namespace Synapse.Benchmarks.Audit;

/// <summary>
/// What the writer computes per row and per manifest record: the keyed row MAC (rule v2) against
/// the first release's unkeyed SHA-256 (rule v1) over the same fields, and the manifest record's
/// MAC. The database commit around them is measured by bench/Synapse.AuditBench.
/// </summary>
[MemoryDiagnoser]
public class AuditRowMacBenchmarks
{
    private readonly AuditChain _chain = new(new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)));
    private readonly AuditManifestSigner _signer = new(new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)));
    private readonly string _prev = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
    private readonly AuditPartition _head = new("20261130T120000000Z-0123456789ab", 1000, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), 123456);
    private readonly AuditRecord _record = AuditRecord.Create(AuditEventKind.Completion, AuditOutcomes.Completed, DateTimeOffset.UtcNow) with
    {
        RequestId = "req_0123456789abcdef01234567",
        KeyId = "key_0123456789abcdef",
        TeamId = "team_0123456789",
        Model = "llama3",
        Provider = "local",
        ProviderLocation = ProviderLocation.OnPrem,
        HttpStatus = 200,
        DlpCategories = ["email"],
        DlpActions = ["redact"],
        PromptSha256 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        ResponseSha256 = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
        PromptTokens = 420,
        CompletionTokens = 180,
        LatencyMs = 950,
        Api = "chat.completions",
        ClientAddress = "10.0.0.17",
        UserAgent = "OpenAI/Python 1.54.0",
    };

    [Benchmark(Baseline = true)]
    public string RowHashUnkeyedV1() => AuditLegacyChain.RowHash(_head.Id, 1001, _record, _prev);

    [Benchmark]
    public string RowMacV2() => _chain.RowHash(_head.Id, 1001, _record, _prev);

    [Benchmark]
    public AuditManifestRecord ManifestRecord() => _signer.Next(null, AuditManifestKinds.Checkpoint, _head, DateTimeOffset.UtcNow);
}
