using System.Collections.Concurrent;
using Synapse.Audit;
using Synapse.Grains.Interfaces.Audit;

namespace Synapse.Tests.Grains;

/// <summary>An audit log that keeps every record it is given, in order, for tests to read.</summary>
public sealed class RecordingAuditLog : IAuditLog
{
    public ConcurrentQueue<AuditRecord> Records { get; } = new();

    public Task AppendAsync(AuditRecord record)
    {
        Records.Enqueue(record);
        return Task.CompletedTask;
    }

    public Task AppendDeferrableAsync(AuditRecord record) => AppendAsync(record);

    public IReadOnlyList<AuditRecord> For(string requestId) => [.. Records.Where(r => r.RequestId == requestId)];
}
