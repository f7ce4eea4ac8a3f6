using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>
/// The silo's single audit writer: callers queue records and wait; one loop takes everything
/// queued (up to <see cref="AuditOptions.MaxBatchSize"/>), chains it onto this writer's partition
/// with the keyed row MAC and commits it in one transaction, then completes each waiter. A waiter
/// completes only after its row is committed, so an acknowledged event survives a crash. Every
/// partition is announced in the signed manifest (an opening record) before its first row is
/// committed, its head is signed every <see cref="AuditOptions.CheckpointEveryRows"/> rows and
/// every <see cref="AuditOptions.CheckpointInterval"/>, and it is closed (a closing record) after a
/// failed commit, whose rows may or may not have landed, and when the writer stops. The next batch
/// after a failure starts a new partition. A partition whose checkpoint could not be written takes
/// no more than a checkpoint's worth of rows past its last signed head: after that, appends fail
/// until a checkpoint is written, so the unsigned tail is never longer than a crash leaves. All
/// manifest writes happen on the loop, in order.
/// </summary>
public sealed partial class AuditBatchWriter : IAsyncDisposable
{
    private readonly IAuditStore _store;
    private readonly AuditManifest _manifest;
    private readonly AuditChain _chain;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditBatchWriter> _logger;
    private readonly AuditClientScreen _screen;
    private readonly Channel<PendingAppend> _queue;
    private readonly CancellationTokenSource _abort = new();
    private volatile AuditPartition? _partition;
    private AuditPartition? _checkpointed;
    private long _rowsSinceCheckpoint;
    private DateTimeOffset _checkpointDue;
    private bool _ticked;
    private DateTimeOffset _signedAt;
    private Task? _loop;
    private ITimer? _timer;
    private long _refusedAtTicks;

    public AuditBatchWriter(IAuditStore store, AuditManifest manifest, AuditChain chain, AuditOptions options, TimeProvider time, ILogger<AuditBatchWriter> logger, AuditClientScreen? screen = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _screen = screen ?? new AuditClientScreen();
        _store = store;
        _manifest = manifest;
        _chain = chain;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The last committed head of this writer's partition (its sequence is 0 before the partition's first commit).</summary>
    public AuditPartition? Head => _partition;

    /// <summary>True between <see cref="StartAsync"/> and the end of the writer's loop (a stop, or a loop that died).</summary>
    public bool IsRunning => _loop is { IsCompleted: false };

    /// <summary>
    /// When the store last refused a batch (a failed commit, a partition it could not open, a tail
    /// it could not sign), if no batch has been committed since: null while appends land. Readiness
    /// reads it, so a load balancer stops sending requests this process can only refuse.
    /// </summary>
    public DateTimeOffset? RefusedAt => Interlocked.Read(ref _refusedAtTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>
    /// Starts the loop, and opens a partition at once so that a started log always has a manifest
    /// (if the database cannot take the opening record now, the first batch tries again).
    /// </summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_loop is not null)
        {
            return;
        }

        try
        {
            await OpenPartitionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.OpenFailed(_logger, e);
        }

        _loop = Task.Run(() => RunAsync(_abort.Token), CancellationToken.None);
        _timer = _time.CreateTimer(_ => _queue.Writer.TryWrite(PendingAppend.Tick), null, _options.CheckpointInterval, _options.CheckpointInterval);
    }

    /// <summary>Completes when <paramref name="record"/> is committed; <see cref="AuditUnavailableException"/> when it cannot be.</summary>
    public Task AppendAsync(AuditRecord record)
    {
        var pending = new PendingAppend(AuditRecordValidator.Normalize(record, _screen));
        Enqueue(pending);
        return WaitAsync(pending.Done.Task);
    }

    /// <summary>
    /// As <see cref="AppendAsync(AuditRecord)"/>, for a record nothing is waiting on: its commit may
    /// wait up to <see cref="AuditOptions.DeferrableCommitDelay"/> for another record to share it.
    /// </summary>
    public Task AppendDeferrableAsync(AuditRecord record)
    {
        var pending = new PendingAppend(AuditRecordValidator.Normalize(record, _screen), deferrable: true);
        Enqueue(pending);
        return WaitAsync(pending.Done.Task);
    }

    /// <summary>Completes when every record is committed (they may share one group commit).</summary>
    public Task AppendAsync(IReadOnlyList<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var pending = records.Select(r => new PendingAppend(AuditRecordValidator.Normalize(r, _screen))).ToList();
        foreach (var item in pending)
        {
            Enqueue(item);
        }

        return WaitAsync(Task.WhenAll(pending.Select(p => p.Done.Task)));
    }

    /// <summary>Stops taking records, commits what is queued, closes the partition (a signed closing record).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            try
            {
                await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                await _abort.CancelAsync().ConfigureAwait(false);
                await _loop.ConfigureAwait(false);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _abort.Dispose();
    }

    /// <summary>For crash tests: stops at once, mid-batch, with no closing record.</summary>
    internal async Task AbortAsync()
    {
        // Cancel before completing the queue: a loop that saw the queue complete first would close the
        // partition (a signed closing record), which is exactly what a crash does not do.
        await _abort.CancelAsync().ConfigureAwait(false);
        _queue.Writer.TryComplete();
        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }
    }

    private void Enqueue(PendingAppend pending)
    {
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new AuditUnavailableException("The audit writer is stopped or its queue is full.");
        }
    }

    private async Task WaitAsync(Task commit)
    {
        try
        {
            await commit.WaitAsync(_options.AppendTimeout, _time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new AuditUnavailableException("The audit log did not confirm the event in time.");
        }
    }

    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var reader = _queue.Reader;
        var batch = new List<PendingAppend>(_options.MaxBatchSize);
        try
        {
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!Take(reader, batch) && batch.Count is > 0 && batch.Count < _options.MaxBatchSize && _options.DeferrableCommitDelay > TimeSpan.Zero)
                {
                    await LingerAsync(reader, batch, cancellationToken).ConfigureAwait(false);
                }

                if (batch.Count > 0)
                {
                    await CommitAsync(batch, cancellationToken).ConfigureAwait(false);
                    batch.Clear();
                }

                // Every tick signs what is new: a checkpoint that ran late (behind a slow commit)
                // moves _checkpointDue past the next tick, which alone would then sign nothing and
                // leave a row unsigned for up to two intervals (101 s observed) instead of one.
                if (_ticked || _rowsSinceCheckpoint >= _options.CheckpointEveryRows || _time.GetUtcNow() >= _checkpointDue)
                {
                    _ticked = false;
                    await CheckpointAsync(AuditManifestKinds.Checkpoint, cancellationToken).ConfigureAwait(false);
                }
            }

            await ClosePartitionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Fail(batch);
        }
        catch (Exception e)
        {
            // Never leave callers waiting on a loop that has died.
            Log.WriterFailed(_logger, e);
            Fail(batch);
        }

        var left = new List<PendingAppend>();
        while (reader.TryRead(out var item))
        {
            left.Add(item);
        }

        Fail(left);
    }

    /// <summary>Moves what is queued into the batch (up to its size); true when one of them may not wait.</summary>
    private bool Take(ChannelReader<PendingAppend> reader, List<PendingAppend> batch)
    {
        var urgent = false;
        while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
        {
            if (item.Record is not null)
            {
                batch.Add(item);
                urgent |= !item.Deferrable;
            }
            else
            {
                _ticked = true;
            }
        }

        return urgent;
    }

    /// <summary>
    /// A batch of deferrable records only: waits for more until one arrives that may not wait, the
    /// batch is full, the queue is closed, or the oldest has waited <see cref="AuditOptions.DeferrableCommitDelay"/>.
    /// </summary>
    private async Task LingerAsync(ChannelReader<PendingAppend> reader, List<PendingAppend> batch, CancellationToken cancellationToken)
    {
        using var delay = new CancellationTokenSource(_options.DeferrableCommitDelay, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(delay.Token, cancellationToken);
        var expired = Task.Delay(Timeout.InfiniteTimeSpan, linked.Token);
        while (batch.Count < _options.MaxBatchSize)
        {
            var more = reader.WaitToReadAsync(cancellationToken).AsTask();
            if (await Task.WhenAny(more, expired).ConfigureAwait(false) != more || !await more.ConfigureAwait(false))
            {
                return;
            }

            if (Take(reader, batch))
            {
                return;
            }
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch, CancellationToken cancellationToken)
    {
        if (SigningOverdue())
        {
            // The last checkpoint was not written (the manifest refused it): rows past a checkpoint's
            // worth would be an unsigned tail that anyone who can write the database could cut
            // unnoticed, as after a crash but without one. Sign first, or take nothing more.
            await CheckpointAsync(AuditManifestKinds.Checkpoint, cancellationToken).ConfigureAwait(false);
            if (SigningOverdue())
            {
                Log.UnsignedTailFull(_logger, batch.Count, _partition!.Id);
                Refused();
                Fail(batch);
                return;
            }
        }

        // A record queued twice (a retried call) is written once and acknowledges both callers.
        var groups = batch.GroupBy(p => p.Record!.EventId).Select(g => g.ToList()).ToList();
        while (groups.Count > 0)
        {
            AuditPartition partition;
            try
            {
                partition = _partition ?? await OpenPartitionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // No opening record, no rows: a partition the manifest does not list would be a forgery.
                Log.OpenFailed(_logger, e);
                Refused();
                Fail(groups.SelectMany(g => g));
                return;
            }

            var rows = Chain(partition, groups);
            AuditAppendResult result;
            try
            {
                result = await _store.AppendAsync(rows, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Log.BatchFailed(_logger, e, rows.Count, partition.Id);
                Refused();
                Fail(groups.SelectMany(g => g));
                await CloseAfterFailureAsync(rows, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (!result.Committed)
            {
                // Already stored by an earlier (retried) commit: those callers are done; the rest are
                // chained again without them, so the partition has no gap.
                var present = result.AlreadyPresent.ToHashSet();
                var stored = groups.Where(g => present.Contains(g[0].Record!.EventId)).ToList();
                if (stored.Count == 0)
                {
                    Log.BatchFailed(_logger, null, rows.Count, partition.Id);
                    Refused();
                    Fail(groups.SelectMany(g => g));
                    await CloseAfterFailureAsync(rows, cancellationToken).ConfigureAwait(false);
                    return;
                }

                Complete(stored.SelectMany(g => g));
                groups = groups.Except(stored).ToList();
                continue;
            }

            _partition = partition with { Seq = rows[^1].Seq, Hash = rows[^1].RowHash, HeadId = result.LastId };
            Telemetry.GatewayMetrics.AuditBatchCommitted(rows.Count);
            Interlocked.Exchange(ref _refusedAtTicks, 0);
            Complete(groups.SelectMany(g => g));
            _rowsSinceCheckpoint += rows.Count;
            return;
        }
    }

    /// <summary>
    /// True when the rows since the partition's last signed head are a checkpoint's worth (<see cref="AuditOptions.CheckpointEveryRows"/>
    /// rows or <see cref="AuditOptions.CheckpointInterval"/>) and no checkpoint covers them.
    /// </summary>
    private bool SigningOverdue() =>
        _partition is { } head && head != _checkpointed
        && (_rowsSinceCheckpoint >= _options.CheckpointEveryRows || _time.GetUtcNow() - _signedAt >= _options.CheckpointInterval);

    private List<AuditRow> Chain(AuditPartition partition, List<List<PendingAppend>> groups)
    {
        var rows = new List<AuditRow>(groups.Count);
        var (seq, prev) = (partition.Seq, partition.Hash);
        foreach (var group in groups)
        {
            seq++;
            var record = group[0].Record!;
            var hash = _chain.RowHash(partition.Id, seq, record, prev);
            rows.Add(new AuditRow(0, partition.Id, seq, record, prev, hash));
            prev = hash;
        }

        return rows;
    }

    private async Task<AuditPartition> OpenPartitionAsync(CancellationToken cancellationToken)
    {
        var partition = AuditPartition.Open(_time.GetUtcNow(), _chain);
        await _manifest.AppendAsync(AuditManifestKinds.Open, partition, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        _partition = _checkpointed = partition;
        _rowsSinceCheckpoint = 0;
        _signedAt = _time.GetUtcNow();
        _checkpointDue = _time.GetUtcNow() + _options.CheckpointInterval;
        Log.PartitionOpened(_logger, partition.Id);
        return partition;
    }

    /// <summary>
    /// After a commit whose outcome is unknown the batch may or may not have landed. The partition
    /// is closed where it really ends: at the newest of the batch's rows found in the database (a
    /// row with a valid MAC can only be this writer's), else at the last acknowledged head. When
    /// the database cannot even say, the partition is left open, as after a crash.
    /// </summary>
    private async Task CloseAfterFailureAsync(List<AuditRow> batch, CancellationToken cancellationToken)
    {
        var partition = _partition!;
        try
        {
            var last = await _manifest.ReadLastRowAsync(partition.Id, cancellationToken).ConfigureAwait(false);
            var landed = batch.FirstOrDefault(r => last is not null && r.Seq == last.Seq && r.Record.EventId == last.Record.EventId);
            if (landed is not null && _chain.IsIntact(last!))
            {
                _partition = partition with { Seq = last!.Seq, Hash = last.RowHash, HeadId = last.Id };
            }
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            Log.PartitionLeftOpen(_logger, e, partition.Id);
            _partition = null;
            return;
        }

        await ClosePartitionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A closing record for the current partition; the next batch opens a new one.</summary>
    private async Task ClosePartitionAsync(CancellationToken cancellationToken)
    {
        if (_partition is not null)
        {
            // An aborted writer leaves its partition open, as a crash would, whatever the store does with the token.
            cancellationToken.ThrowIfCancellationRequested();
            await CheckpointAsync(AuditManifestKinds.Close, cancellationToken).ConfigureAwait(false);
            _partition = null;
        }
    }

    private async Task CheckpointAsync(string kind, CancellationToken cancellationToken)
    {
        _checkpointDue = _time.GetUtcNow() + _options.CheckpointInterval;
        var head = _partition;
        if (head is null || (kind == AuditManifestKinds.Checkpoint && head == _checkpointed))
        {
            return;
        }

        try
        {
            await _manifest.AppendAsync(kind, head, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            _checkpointed = head;
            _rowsSinceCheckpoint = 0;
            _signedAt = _time.GetUtcNow();
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // The rows stay protected by their MACs; the next checkpoint covers them, and until one
            // is written the partition takes no more than a checkpoint's worth (SigningOverdue).
            Log.CheckpointFailed(_logger, e, kind, head.Id);
        }
    }

    private static void Complete(IEnumerable<PendingAppend> items)
    {
        foreach (var item in items)
        {
            item.Done.TrySetResult();
        }
    }

    private void Refused() => Interlocked.Exchange(ref _refusedAtTicks, _time.GetUtcNow().UtcTicks);

    private static void Fail(IEnumerable<PendingAppend> items)
    {
        foreach (var item in items)
        {
            item.Done.TrySetException(new AuditUnavailableException("The audit store did not commit the event."));
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Audit partition {Partition} opened")]
        public static partial void PartitionOpened(ILogger logger, string partition);

        [LoggerMessage(2, LogLevel.Error, "Audit batch of {Rows} rows in partition {Partition} was not committed; the partition is closed")]
        public static partial void BatchFailed(ILogger logger, Exception? exception, int rows, string partition);

        [LoggerMessage(3, LogLevel.Error, "Audit manifest record ({Kind}) for partition {Partition} could not be written")]
        public static partial void CheckpointFailed(ILogger logger, Exception exception, string kind, string partition);

        [LoggerMessage(4, LogLevel.Critical, "The audit writer loop failed; appends are refused")]
        public static partial void WriterFailed(ILogger logger, Exception exception);

        [LoggerMessage(5, LogLevel.Error, "An audit partition could not be opened (its opening record was not written)")]
        public static partial void OpenFailed(ILogger logger, Exception exception);

        [LoggerMessage(6, LogLevel.Error, "Audit partition {Partition} is left open: the database could not say where it ends")]
        public static partial void PartitionLeftOpen(ILogger logger, Exception exception, string partition);

        [LoggerMessage(7, LogLevel.Error, "Audit batch of {Rows} rows refused: partition {Partition} has a checkpoint's worth of rows no checkpoint signs (the manifest refuses its records)")]
        public static partial void UnsignedTailFull(ILogger logger, int rows, string partition);
    }
}
