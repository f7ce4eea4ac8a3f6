using System.Security.Cryptography;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;
using Synapse.Hosting.Health;
using Synapse.Tests.Infrastructure;

namespace Synapse.Tests.Audit;

/// <summary>The writer against in-memory stores with the real contract, on a fake clock.</summary>
public sealed class AuditBatchWriterTests : IAsyncDisposable
{
    private readonly MemoryAuditStore _store = new();
    private readonly MemoryAuditManifestStore _manifestStore;
    private readonly AuditKeys _keys = new(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32));
    private readonly AuditCheckpointDirectory _directory = new(AuditHarness.NewDataDirectory());
    private readonly AuditManifest _manifest;
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private AuditBatchWriter? _writer;

    public AuditBatchWriterTests()
    {
        _manifestStore = new MemoryAuditManifestStore(_store);
        _manifest = new AuditManifest(_manifestStore, _directory, new AuditManifestSigner(_keys), NullLogger<AuditManifest>.Instance);
    }

    [Fact]
    public async Task Start_OpensAPartition_InBothCopiesOfTheManifest()
    {
        var writer = await StartAsync();

        var open = Assert.Single(_manifestStore.Records);
        Assert.Equal((AuditManifestKinds.Open, writer.Head!.Id, 0L), (open.Kind, open.Partition, open.PartitionSeq));
        Assert.Equal(open, Assert.Single(_directory.ReadAll().Records));
        Assert.True((await Verify()).Ok);
    }

    [Fact]
    public async Task StoreFailure_FailsTheAppend_ClosesThePartition_ThenANewOneStarts()
    {
        var writer = await StartAsync();
        await writer.AppendAsync(AuditSamples.Simple(1));
        var first = writer.Head!.Id;

        _store.Failing = true;
        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditSamples.Simple(2)));
        _store.Failing = false;
        await writer.AppendAsync(AuditSamples.Simple(3));

        Assert.NotEqual(first, writer.Head!.Id);
        Assert.Equal(1, writer.Head.Seq);
        Assert.Contains(_manifestStore.Records, r => r.Kind == AuditManifestKinds.Close && r.Partition == first && r.PartitionSeq == 1);
        var result = await Verify();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal((2L, 2, 1), (result.Checked, result.Partitions, result.OpenPartitions));
    }

    [Fact]
    public async Task AStoreThatRefusesABatch_TakesTheProcessOutOfReadiness_UntilACommitOrThirtySeconds()
    {
        var writer = await StartAsync();
        var health = new AuditWriterHealthCheck(writer, _time);
        await writer.AppendAsync(AuditSamples.Simple(1));
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);

        _store.Failing = true;
        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditSamples.Simple(2)));
        var refused = await health.CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Unhealthy, refused.Status);
        Assert.Contains("refused a batch", refused.Description, StringComparison.Ordinal);

        // No traffic reaches a process out of rotation: after a while it is offered again.
        _time.Advance(AuditWriterHealthCheck.RefusedFor);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditSamples.Simple(3)));
        Assert.Equal(HealthStatus.Unhealthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);

        _store.Failing = false;
        await writer.AppendAsync(AuditSamples.Simple(4));
        Assert.Null(writer.RefusedAt);
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task ACommitWhoseAcknowledgementWasLost_IsClosedWhereItReallyEnds()
    {
        var writer = await StartAsync();
        await writer.AppendAsync(AuditSamples.Simple(1));

        // Row 2's commit is held on the wire while rows 3 and 4 queue behind it, so that they
        // share the next group commit, whose acknowledgement is lost.
        var release = new TaskCompletionSource();
        _store.HeldUntil = release.Task;
        var second = writer.AppendAsync(AuditSamples.Simple(2));
        await Eventually.HoldsAsync(() => _store.Held == 1);
        _store.HeldUntil = null;
        _store.LosesAcknowledgements = true;
        var lost = writer.AppendAsync([AuditSamples.Simple(3), AuditSamples.Simple(4)]);
        release.SetResult();
        await second;
        await Assert.ThrowsAsync<AuditUnavailableException>(() => lost);
        _store.LosesAcknowledgements = false;
        await writer.AppendAsync(AuditSamples.Simple(5));

        // The two rows landed: the closing record covers them, so they do not read as added after the end.
        Assert.Contains(_manifestStore.Records, r => r.Kind == AuditManifestKinds.Close && r.PartitionSeq == 4);
        var result = await Verify();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(5, result.Checked);
    }

    [Fact]
    public async Task ManifestDown_RefusesRows_UntilTheirPartitionCanBeOpened()
    {
        _manifestStore.Failing = true;
        var writer = await StartAsync();

        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditSamples.Simple(1)));
        Assert.Empty(_store.Rows);

        _manifestStore.Failing = false;
        await writer.AppendAsync(AuditSamples.Simple(2));
        Assert.Single(_manifestStore.Records);
        Assert.True((await Verify()).Ok);
    }

    [Fact]
    public async Task StoppedWriter_ClosesItsPartition_AndRefusesAppends()
    {
        var writer = await StartAsync();
        await writer.AppendAsync(AuditSamples.Simple(1));
        await writer.StopAsync(CancellationToken.None);

        await Assert.ThrowsAsync<AuditUnavailableException>(() => writer.AppendAsync(AuditSamples.Simple(2)));
        Assert.Equal([AuditManifestKinds.Open, AuditManifestKinds.Close], _manifestStore.Records.Select(r => r.Kind));
        Assert.Equal(0, (await Verify()).OpenPartitions);
    }

    [Fact]
    public async Task Checkpoint_IsWrittenEveryInterval_Signed_AndChainedToThePreviousRecord()
    {
        var writer = await StartAsync(new AuditOptions { CheckpointInterval = TimeSpan.FromMinutes(1) });
        await writer.AppendAsync([AuditSamples.Simple(1), AuditSamples.Simple(2), AuditSamples.Simple(3)]);
        Assert.Single(_manifestStore.Records);

        _time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.HoldsAsync(() => _manifestStore.Records.Count == 2);

        var (open, checkpoint) = (_manifestStore.Records[0], _manifestStore.Records[1]);
        Assert.Equal((AuditManifestKinds.Checkpoint, writer.Head!.Id, 3L, writer.Head.Hash, _store.Rows[^1].Id), (checkpoint.Kind, checkpoint.Partition, checkpoint.PartitionSeq, checkpoint.Head, checkpoint.HeadId));
        Assert.Equal((2L, open.Mac), (checkpoint.Seq, checkpoint.Prev));
        Assert.True(new AuditManifestSigner(_keys).IsValid(checkpoint));
        Assert.False(new AuditManifestSigner(new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32))).IsValid(checkpoint));

        // A minute with nothing new adds no record: the next one is the checkpoint of the next row.
        _time.Advance(TimeSpan.FromMinutes(1));
        await writer.AppendAsync(AuditSamples.Simple(4));
        _time.Advance(TimeSpan.FromMinutes(1));
        await Eventually.HoldsAsync(() => _manifestStore.Records.Count == 3);
        Assert.Equal(4L, _manifestStore.Records[2].PartitionSeq);
    }

    [Fact]
    public async Task ARowIsSignedAtTheFirstTickAfterIt_EvenWhenTheLastCheckpointRanLateAfterItsTick()
    {
        // The timer ticks every minute from the start; a checkpoint that ran late (behind a slow
        // commit) used to move the next one a minute past itself, so the next tick came just
        // short of it and a row waited almost two minutes unsigned (observed: 101 s).
        var writer = await StartAsync(new AuditOptions { CheckpointInterval = TimeSpan.FromMinutes(1), AppendTimeout = TimeSpan.FromMinutes(10) });
        await writer.AppendAsync(AuditSamples.Simple(1));
        var slowCommit = new TaskCompletionSource();
        _store.HeldUntil = slowCommit.Task;
        var held = writer.AppendAsync(AuditSamples.Simple(2));
        await Eventually.HoldsAsync(() => _store.Held == 1);
        _time.Advance(TimeSpan.FromMinutes(1));   // the tick waits behind the held commit
        _time.Advance(TimeSpan.FromSeconds(30));
        _store.HeldUntil = null;
        slowCommit.SetResult();
        await held;
        await Eventually.HoldsAsync(() => _manifestStore.Records.Any(r => r.Kind == AuditManifestKinds.Checkpoint && r.PartitionSeq == 2));

        await writer.AppendAsync(AuditSamples.Simple(3));  // 1 min 30 s
        _time.Advance(TimeSpan.FromSeconds(30));            // the timer's second tick, 30 s after the row

        await Eventually.HoldsAsync(() => _manifestStore.Records.Any(r => r.Kind == AuditManifestKinds.Checkpoint && r.PartitionSeq == 3), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task ARecordSignedWithAnotherKey_FailsVerification()
    {
        var writer = await StartAsync();
        await writer.AppendAsync(AuditSamples.Simple(1));
        await writer.StopAsync(CancellationToken.None);
        var forger = new AuditManifestSigner(new AuditKeys(RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(32)));
        var last = _manifestStore.Records[^1];

        _directory.Append(forger.Next(last, AuditManifestKinds.Checkpoint, new AuditPartition(last.Partition, 1, new string('0', 64), 1), _time.GetUtcNow()));

        var result = await Verify();
        Assert.False(result.Ok);
        Assert.Contains("valid MAC", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVerificationDuringAnotherWritersStart_TakesNothingNewForDeleted()
    {
        var running = await StartAsync();
        await running.AppendAsync([AuditSamples.Simple(1), AuditSamples.Simple(2)]);
        var starting = new AuditBatchWriter(_store, _manifest, new AuditChain(_keys), new AuditOptions(), _time, NullLogger<AuditBatchWriter>.Instance);

        // Between the verifier's reads: a writer opens its partition and commits rows; after the
        // rows were read, it commits more and closes its partition beyond them.
        _manifestStore.AfterNextRead = async () =>
        {
            await starting.StartAsync(CancellationToken.None);
            await starting.AppendAsync([AuditSamples.Simple(3), AuditSamples.Simple(4)]);
        };
        _store.AfterNextSnapshot = async () =>
        {
            await starting.AppendAsync([AuditSamples.Simple(5), AuditSamples.Simple(6)]);
            await starting.StopAsync(CancellationToken.None);
        };
        var during = await Verify();
        var after = await Verify();

        Assert.True(during.Ok, during.Reason);
        Assert.Equal(4, during.Checked);
        Assert.True(after.Ok, after.Reason);
        Assert.Equal((6L, 2), (after.Checked, after.Partitions));
    }

    [Fact]
    public async Task ManyWaiters_ShareGroupCommits()
    {
        var writer = await StartAsync(new AuditOptions { MaxBatchSize = 500 });

        await Task.WhenAll(Enumerable.Range(0, 2000).Select(i => writer.AppendAsync(AuditSamples.Simple(i))));

        Assert.Equal(2000, _store.Rows.Count);
        Assert.True(_store.Commits < 2000);
        var result = await Verify();
        Assert.True(result.Ok, result.Reason);
        Assert.Equal(2000, result.Checked);
    }

    [Fact]
    public async Task ADeferrableRecord_WaitsForTheNextRecordThatMayNot_AndSharesItsCommit()
    {
        var writer = await StartAsync();

        var completion = writer.AppendDeferrableAsync(AuditSamples.Simple(1));
        await Task.Delay(200);
        Assert.False(completion.IsCompleted);
        Assert.Equal(0, _store.Commits);

        await writer.AppendAsync(AuditSamples.Simple(2));
        await completion;
        Assert.Equal(1, _store.Commits);
        Assert.Equal(2, _store.Rows.Count);
        Assert.True((await Verify()).Ok);
    }

    [Fact]
    public async Task ADeferrableRecord_Alone_IsCommittedOnceTheDelayHasPassed()
    {
        var writer = await StartAsync(new AuditOptions { DeferrableCommitDelay = TimeSpan.FromMilliseconds(20) });

        var completion = writer.AppendDeferrableAsync(AuditSamples.Simple(1));
        await Task.Delay(200); // the writer's loop takes it and starts its wait on the fake clock
        _time.Advance(TimeSpan.FromMilliseconds(19));
        await Task.Delay(200);
        Assert.False(completion.IsCompleted);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(_store.Rows);
    }

    [Fact]
    public async Task WithNoDelay_ADeferrableRecord_IsCommittedAtOnce()
    {
        var writer = await StartAsync(new AuditOptions { DeferrableCommitDelay = TimeSpan.Zero });

        await writer.AppendDeferrableAsync(AuditSamples.Simple(1)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single(_store.Rows);
    }

    [Fact]
    public async Task Stopping_CommitsAWaitingDeferrableRecord_BeforeTheClosingRecord()
    {
        var writer = await StartAsync();
        var completion = writer.AppendDeferrableAsync(AuditSamples.Simple(1));

        await writer.StopAsync(CancellationToken.None);

        await completion.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Single(_store.Rows);
        Assert.Equal((AuditManifestKinds.Close, 1L), (_manifestStore.Records[^1].Kind, _manifestStore.Records[^1].PartitionSeq));
        Assert.True((await Verify()).Ok);
    }

    public async ValueTask DisposeAsync()
    {
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }
    }

    private async Task<AuditBatchWriter> StartAsync(AuditOptions? options = null)
    {
        _writer = new AuditBatchWriter(_store, _manifest, new AuditChain(_keys), options ?? new AuditOptions(), _time, NullLogger<AuditBatchWriter>.Instance);
        await _writer.StartAsync(CancellationToken.None);
        return _writer;
    }

    private Task<AuditVerificationResult> Verify() => new AuditVerifier(_store, _manifest, new AuditChain(_keys)).VerifyAsync(CancellationToken.None);
}
