using System.Runtime.CompilerServices;
using Synapse.Audit;
using Synapse.Grains.Audit;
using Synapse.RateLimiting;

namespace Synapse.Tests.Audit;

/// <summary>An in-memory store with the real stores' contract, and a switch to make it fail.</summary>
internal sealed class MemoryAuditStore : IAuditStore
{
    private readonly Lock _lock = new();
    private readonly List<AuditRow> _rows = [];

    public bool Failing { get; set; }

    /// <summary>Commits, then throws as if the acknowledgement had been lost on the way back.</summary>
    public bool LosesAcknowledgements { get; set; }

    public int Commits { get; private set; }

    public IReadOnlyList<AuditRow> Rows
    {
        get
        {
            lock (_lock)
            {
                return [.. _rows];
            }
        }
    }

    /// <summary>When set, an append waits for it before it commits: a commit held on the wire, behind which the writer queues the next batch.</summary>
    public Task? HeldUntil { get; set; }

    /// <summary>How many appends are waiting on <see cref="HeldUntil"/>.</summary>
    public int Held => Volatile.Read(ref _held);

    private int _held;

    public async Task<AuditAppendResult> AppendAsync(IReadOnlyList<AuditRow> rows, CancellationToken cancellationToken)
    {
        // What happens to this commit is decided as it starts, not when a held one goes on.
        var losesAcknowledgement = LosesAcknowledgements;
        if (HeldUntil is { } held)
        {
            Interlocked.Increment(ref _held);
            await held;
            Interlocked.Decrement(ref _held);
        }

        if (Failing)
        {
            throw new InvalidOperationException("The database is down.");
        }

        lock (_lock)
        {
            var present = rows.Where(r => _rows.Any(x => x.Record.EventId == r.Record.EventId)).Select(r => r.Record.EventId).ToList();
            if (present.Count > 0)
            {
                return AuditAppendResult.NotWritten(present);
            }

            foreach (var row in rows)
            {
                _rows.Add(row with { Id = _rows.Count + 1 });
            }

            Commits++;
            return losesAcknowledgement
                ? throw new TimeoutException("The connection broke before the commit was acknowledged.")
                : AuditAppendResult.Written(_rows.Count);
        }
    }

    /// <summary>Runs once, after the next <see cref="ReadAllAsync"/> has taken its snapshot (as a database query's does).</summary>
    public Func<Task>? AfterNextSnapshot { get; set; }

    public async IAsyncEnumerable<AuditRow> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        var snapshot = Rows;
        if (AfterNextSnapshot is { } hook)
        {
            AfterNextSnapshot = null;
            await hook();
        }

        foreach (var row in snapshot)
        {
            yield return row;
        }
    }

    public Task<AuditRow?> GetAsync(long id, CancellationToken cancellationToken) => Task.FromResult(Rows.FirstOrDefault(r => r.Id == id));

    public IAsyncEnumerable<AuditRow> ReadPartitionAsync(string partitionId, long fromSeq, CancellationToken cancellationToken) =>
        Rows.Where(r => r.PartitionId == partitionId && r.Seq >= fromSeq).OrderBy(r => r.Seq).ToAsyncEnumerable();

    /// <summary>Newest first, filtered as the real stores filter (team aside).</summary>
    public Task<IReadOnlyList<AuditRow>> QueryAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        IReadOnlyList<AuditRow> page = Rows
            .Where(r => (query.KeyId is null || r.Record.KeyId == query.KeyId) && (query.Outcome is null || r.Record.Outcome == query.Outcome))
            .Where(r => (query.From is null || r.Record.Time >= query.From) && (query.To is null || r.Record.Time < query.To))
            .Where(r => query.BeforeId is null || r.Id < query.BeforeId)
            .OrderByDescending(r => r.Id)
            .Take(query.Limit)
            .ToList();
        return Task.FromResult(page);
    }

    public Task<IReadOnlyList<AuditRow>> RateWindowAsync(string keyId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        IReadOnlyList<AuditRow> rows = [.. Rows.Where(r => r.Record.KeyId == keyId && r.Record.Time >= since && (RateWindowEvents.IsForwarded(r.Record) || RateWindowEvents.IsTokenCount(r.Record) || RateWindowEvents.IsCountedRefusal(r.Record))).OrderBy(r => r.Id)];
        return Task.FromResult(rows);
    }

    public IAsyncEnumerable<AuditRow> ExportAsync(DateTimeOffset? from, DateTimeOffset? to, CancellationToken cancellationToken) => throw new NotSupportedException();
}
