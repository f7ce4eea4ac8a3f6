using System.Data.Common;
using System.Globalization;

namespace Synapse.Persistence.Audit;

/// <summary>
/// One aggregated row of a usage query (rollup or log tail), in the column order both read: the
/// provider latency's histogram and the gateway-added time's.
/// </summary>
internal sealed record UsageRow(string Value, long Bucket, string Class, long Requests, long PromptTokens, long CompletionTokens, UsageHistogram Latency, UsageHistogram Gateway)
{
    public static int LatencyColumns => UsageSql.LatencyBounds.Length + 3;

    public static int GatewayColumns => UsageSql.GatewayBounds.Length + 3;

    /// <summary>A row of counts alone.</summary>
    public static UsageRow Counts(string value, long bucket, string @class, long requests, long promptTokens, long completionTokens) =>
        new(value, bucket, @class, requests, promptTokens, completionTokens, new UsageHistogram(UsageSql.LatencyBounds.Length + 1), new UsageHistogram(UsageSql.GatewayBounds.Length + 1));

    public static UsageRow Read(DbDataReader r) => new(
        r.GetString(0), Long(r, 1), r.GetString(2), Long(r, 3), Long(r, 4), Long(r, 5),
        UsageHistogram.Read(r, 6, UsageSql.LatencyBounds.Length + 1),
        UsageHistogram.Read(r, 6 + LatencyColumns, UsageSql.GatewayBounds.Length + 1));

    private static long Long(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? 0 : Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture);
}
