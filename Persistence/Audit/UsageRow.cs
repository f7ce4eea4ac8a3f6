using System.Data.Common;
using System.Globalization;

namespace Synapse.Persistence.Audit;

/// <summary>One aggregated row of a usage query (rollup or log tail), in the column order both read.</summary>
internal sealed record UsageRow(string Value, long Bucket, string Class, long Requests, long PromptTokens, long CompletionTokens, long LatencyCount, long LatencySum, long[] Bins)
{
    public static UsageRow Read(DbDataReader r)
    {
        var bins = new long[UsageSql.LatencyBounds.Length + 1];
        for (var i = 0; i < bins.Length; i++)
        {
            bins[i] = Long(r, 8 + i);
        }

        return new UsageRow(r.GetString(0), Long(r, 1), r.GetString(2), Long(r, 3), Long(r, 4), Long(r, 5), Long(r, 6), Long(r, 7), bins);
    }

    private static long Long(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? 0 : Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture);
}
