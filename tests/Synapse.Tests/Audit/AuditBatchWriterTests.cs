using System.Security.Cryptography;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Tests.Audit;

public sealed class AuditBatchWriterTests : IAsyncDisposable
{
    private readonly MemoryAuditStore _store = new();
    private readonly AuditKeys _keys = new(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
    private readonly AuditCheckpointLog _checkpoints = new(AuditHarness.NewDataDirectory());
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private AuditBatchWriter? _writer;

    [Fact]
    public async Task StoreFailure_FailsTheAppend_ThenANewPartitionStarts()
    {
        var writer = Start();
        await writer.AppendAsync(AuditSamples.Simple(1));
        var first = writer.Head!.Id;

        _store.Failing = true;
        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditSamples.Simple(2)));
        _store.Failing = false;
        await writer.AppendAsync(AuditSamples.Simple(3));

        Assert.NotEqual(first, writer.Head!.Id);
        Assert.Equal(1, writer.Head.Seq);
        Assert.Equal(new AuditVerificationResult(true, 2), await Verify());
    }

    [Fact]
    public async Task StoppedWriter_RefusesAppends()
    {
        var writer = Start();
        await writer.StopAsync(CancellationToken.None);

        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditSamples.Simple(1)));
    }

    [Fact]
    public async Task Checkpoint_IsWrittenEveryInterval_AndSigned()
    {
        var writer = Start(new AuditOptions { CheckpointInterval = TimeSpan.FromMinutes(1) });
        await writer.AppendAsync([AuditSamples.Simple(1), AuditSamples.Simple(2), AuditSamples.Simple(3)]);
        Assert.Empty(_checkpoints.ReadAll());

        _time.Advance(TimeSpan.FromMinutes(1));

        var checkpoint = Assert.Single(_checkpoints.ReadAll())!;
        Assert.Equal((writer.Head!.Id, 3L, writer.Head.Hash, _store.Rows[^1].Id), (checkpoint.Partition, checkpoint.Seq, checkpoint.HeadHash, checkpoint.HeadId));
        Assert.True(new AuditCheckpointSigner(_keys).IsValid(checkpoint));
        Assert.False(new AuditCheckpointSigner(new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32))).IsValid(checkpoint));

        // Nothing new: no new checkpoint.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.Single(_checkpoints.ReadAll());
    }

    [Fact]
    public async Task ForgedCheckpoint_FailsVerification()
    {
        var writer = Start();
        await writer.AppendAsync(AuditSamples.Simple(1));
        await writer.StopAsync(CancellationToken.None);
        var genuine = Assert.Single(_checkpoints.ReadAll())!;

        _checkpoints.Append(genuine with { Seq = 1, HeadHash = new string('0', 64) });

        var result = await Verify();
        Assert.False(result.Ok);
        Assert.Contains("signature", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ManyWaiters_ShareGroupCommits()
    {
        var writer = Start(new AuditOptions { MaxBatchSize = 500 });

        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => writer.AppendAsync(AuditSamples.Simple(i))));

        Assert.Equal(2000, _store.Rows.Count);
        Assert.True(_store.Commits < 2000);
        Assert.Equal(new AuditVerificationResult(true, 2000), await Verify());
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
    }

    private AuditBatchWriter Start(AuditOptions? options = null)
    {
        _writer = new AuditBatchWriter(_store, _checkpoints, new AuditCheckpointSigner(_keys), options ?? new AuditOptions(), _time, NullLogger<AuditBatchWriter>.Instance);
        _writer.Start();
        return _writer;
    }

    private Task<AuditVerificationResult> Verify() => new AuditVerifier(_store, _checkpoints, new AuditCheckpointSigner(_keys)).VerifyAsync(CancellationToken.None);
}
