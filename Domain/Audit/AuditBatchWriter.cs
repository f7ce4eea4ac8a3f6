using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Audit;

/// <summary>
/// The silo's single audit writer: callers queue records and wait; one loop takes everything
/// queued (up to <see cref="AuditOptions.MaxBatchSize"/>), chains it onto this writer's partition
/// and commits it in one transaction, then completes each waiter. A waiter completes only after
/// its row is committed, so an acknowledged event survives a crash. After a failed commit the
/// partition is closed and the next batch starts a new one (the failed batch may or may not have
/// landed; either way the old chain stays intact). Checkpoints of the head are signed and written
/// every <see cref="AuditOptions.CheckpointEveryRows"/> rows, every
/// <see cref="AuditOptions.CheckpointInterval"/>, when a partition is closed and on stop.
/// </summary>
public sealed partial class AuditBatchWriter : IAsyncDisposable
{
    private readonly IAuditStore _store;
    private readonly AuditCheckpointLog _checkpoints;
    private readonly AuditCheckpointSigner _signer;
    private readonly AuditOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<AuditBatchWriter> _logger;
    private readonly Channel<PendingAppend> _queue;
    private readonly CancellationTokenSource _abort = new();
    private readonly Lock _checkpointLock = new();
    private volatile AuditPartition? _partition;
    private AuditPartition? _checkpointed;
    private long _rowsSinceCheckpoint;
    private Task? _loop;
    private ITimer? _timer;

    public AuditBatchWriter(IAuditStore store, AuditCheckpointLog checkpoints, AuditCheckpointSigner signer, AuditOptions options, TimeProvider time, ILogger<AuditBatchWriter> logger)
    {
        _store = store;
        _checkpoints = checkpoints;
        _signer = signer;
        _options = options;
        _time = time;
        _logger = logger;
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(Math.Max(1, options.QueueCapacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The last committed head of this writer's partition (null before the first commit of a partition).</summary>
    public AuditPartition? Head => _partition;

    /// <summary>True between <see cref="Start"/> and the end of the writer's loop (a stop, or a loop that died).</summary>
    public bool IsRunning => _loop is { IsCompleted: false };

    public void Start()
    {
        if (_loop is not null)
        {
            return;
        }

        _loop = Task.Run(() => RunAsync(_abort.Token));
        _timer = _time.CreateTimer(_ => Checkpoint(), null, _options.CheckpointInterval, _options.CheckpointInterval);
    }

    /// <summary>Completes when <paramref name="record"/> is committed; <see cref="AuditUnavailableException"/> when it cannot be.</summary>
    public Task AppendAsync(AuditRecord record)
    {
        var pending = new PendingAppend(AuditRecordValidator.Normalize(record));
        Enqueue(pending);
        return WaitAsync(pending.Done.Task);
    }

    /// <summary>Completes when every record is committed (they may share one group commit).</summary>
    public Task AppendAsync(IReadOnlyList<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var pending = records.Select(r => new PendingAppend(AuditRecordValidator.Normalize(r))).ToList();
        foreach (var item in pending)
        {
            Enqueue(item);
        }

        return WaitAsync(Task.WhenAll(pending.Select(p => p.Done.Task)));
    }

    /// <summary>Stops taking records, commits what is queued, writes a last checkpoint.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
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

        if (_timer is not null)
        {
            await _timer.DisposeAsync().ConfigureAwait(false);
        }

        Checkpoint();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _abort.Dispose();
    }

    /// <summary>For crash tests: stops at once, mid-batch, with no final checkpoint.</summary>
    internal async Task AbortAsync()
    {
        _queue.Writer.TryComplete();
        await _abort.CancelAsync().ConfigureAwait(false);
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
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await CommitAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
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

    private async Task CommitAsync(List<PendingAppend> batch, CancellationToken cancellationToken)
    {
        // A record queued twice (a retried call) is written once and acknowledges both callers.
        var groups = batch.GroupBy(p => p.Record.EventId).Select(g => g.ToList()).ToList();
        while (groups.Count > 0)
        {
            var partition = _partition ?? OpenPartition();
            var rows = Chain(partition, groups);
            AuditAppendResult result;
            try
            {
                result = await _store.AppendAsync(rows, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                Log.BatchFailed(_logger, e, rows.Count, partition.Id);
                ClosePartition();
                Fail(groups.SelectMany(g => g));
                return;
            }

            if (!result.Committed)
            {
                // Already stored by an earlier (retried) commit: those callers are done; the rest are
                // chained again without them, so the partition has no gap.
                var present = result.AlreadyPresent.ToHashSet();
                var stored = groups.Where(g => present.Contains(g[0].Record.EventId)).ToList();
                if (stored.Count == 0)
                {
                    Log.BatchFailed(_logger, null, rows.Count, partition.Id);
                    ClosePartition();
                    Fail(groups.SelectMany(g => g));
                    return;
                }

                Complete(stored.SelectMany(g => g));
                groups = groups.Except(stored).ToList();
                continue;
            }

            _partition = partition with { Seq = rows[^1].Seq, Hash = rows[^1].RowHash, HeadId = result.LastId };
            Telemetry.GatewayMetrics.AuditBatchCommitted(rows.Count);
            Complete(groups.SelectMany(g => g));
            _rowsSinceCheckpoint += rows.Count;
            if (_rowsSinceCheckpoint >= _options.CheckpointEveryRows)
            {
                Checkpoint();
            }

            return;
        }
    }

    private static List<AuditRow> Chain(AuditPartition partition, List<List<PendingAppend>> groups)
    {
        var rows = new List<AuditRow>(groups.Count);
        var (seq, prev) = (partition.Seq, partition.Hash);
        foreach (var group in groups)
        {
            seq++;
            var record = group[0].Record;
            var hash = AuditChain.RowHash(partition.Id, seq, record, prev);
            rows.Add(new AuditRow(0, partition.Id, seq, record, prev, hash));
            prev = hash;
        }

        return rows;
    }

    private AuditPartition OpenPartition()
    {
        var partition = AuditPartition.Open(_time.GetUtcNow());
        _partition = partition;
        _rowsSinceCheckpoint = 0;
        Log.PartitionOpened(_logger, partition.Id);
        return partition;
    }

    private void ClosePartition()
    {
        Checkpoint();
        _partition = null;
    }

    private void Checkpoint()
    {
        lock (_checkpointLock)
        {
            var head = _partition;
            if (head is null || head.Seq == 0 || head == _checkpointed)
            {
                return;
            }

            try
            {
                _checkpoints.Append(_signer.Sign(head.Id, head.Seq, head.HeadId, head.Hash, _time.GetUtcNow()));
                _checkpointed = head;
                _rowsSinceCheckpoint = 0;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log.CheckpointFailed(_logger, e, _checkpoints.Directory);
            }
        }
    }

    private static void Complete(IEnumerable<PendingAppend> items)
    {
        foreach (var item in items)
        {
            item.Done.TrySetResult();
        }
    }

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

        [LoggerMessage(3, LogLevel.Error, "Audit checkpoint could not be written to {Directory}")]
        public static partial void CheckpointFailed(ILogger logger, Exception exception, string directory);

        [LoggerMessage(4, LogLevel.Critical, "The audit writer loop failed; appends are refused")]
        public static partial void WriterFailed(ILogger logger, Exception exception);
    }
}
