using Synapse.Audit;

namespace Synapse.Tests.Audit;

/// <summary>What an attacker builds: rows chained with some rule (the real key, another key, the unkeyed first-release rule).</summary>
internal static class AuditForgery
{
    public delegate string RowRule(string partition, long seq, Synapse.Grains.Interfaces.Audit.AuditRecord record, string prev);

    public static List<AuditRow> Rows(AuditChain chain, string partition, long fromSeq, string prev, int count) =>
        Rows(chain.RowHash, partition, fromSeq, prev, count);

    public static List<AuditRow> Rows(RowRule rule, string partition, long fromSeq, string prev, int count)
    {
        var rows = new List<AuditRow>(count);
        for (var seq = fromSeq; seq < fromSeq + count; seq++)
        {
            var record = AuditSamples.Simple((int)seq) with { Time = AuditText.TruncateToMicroseconds(DateTimeOffset.UtcNow) };
            var hash = rule(partition, seq, record, prev);
            rows.Add(new AuditRow(0, partition, seq, record, prev, hash));
            prev = hash;
        }

        return rows;
    }
}
