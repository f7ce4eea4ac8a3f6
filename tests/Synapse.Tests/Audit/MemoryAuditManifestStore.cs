using System.Runtime.CompilerServices;
using Synapse.Audit;

namespace Synapse.Tests.Audit;

/// <summary>An in-memory manifest with the real stores' contract, over the rows of a <see cref="MemoryAuditStore"/>, and a switch to make it fail.</summary>
internal sealed class MemoryAuditManifestStore(MemoryAuditStore rows) : IAuditManifestStore
{
    private readonly Lock _lock = new();
    private readonly List<AuditManifestRecord> _records = [];

    public bool Failing { get; set; }

    public IReadOnlyList<AuditManifestRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return [.. _records];
            }
        }
    }

    public Task<AuditManifestRecord> AppendAsync(Func<AuditManifestRecord?, AuditManifestRecord> next, CancellationToken cancellationToken)
    {
        if (Failing)
        {
            throw new InvalidOperationException("The database is down.");
        }

        lock (_lock)
        {
            var record = next(_records.Count > 0 ? _records[^1] : null);
            _records.Add(record);
            return Task.FromResult(record);
        }
    }

    public Task<AuditRow?> ReadLastRowAsync(string partitionId, CancellationToken cancellationToken) =>
        Failing
            ? throw new InvalidOperationException("The database is down.")
            : Task.FromResult(rows.Rows.Where(r => r.PartitionId == partitionId).MaxBy(r => r.Seq));

    public Task<IReadOnlyList<AuditManifestRecord>> ReadFirstAsync(int count, CancellationToken cancellationToken) =>
        Failing ? throw new InvalidOperationException("The database is down.") : Task.FromResult<IReadOnlyList<AuditManifestRecord>>([.. Records.Take(count)]);

    public Task<IReadOnlyList<AuditManifestRecord>> ReadPartitionAsync(string partitionId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<AuditManifestRecord>>([.. Records.Where(r => r.Partition == partitionId)]);

    /// <summary>Runs once, after the next <see cref="ReadAllAsync"/> has returned every record.</summary>
    public Func<Task>? AfterNextRead { get; set; }

    public async IAsyncEnumerable<AuditManifestRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var record in Records)
        {
            yield return record;
        }

        if (AfterNextRead is { } hook)
        {
            AfterNextRead = null;
            await hook();
        }
    }
}
