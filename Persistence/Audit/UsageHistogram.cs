using System.Data.Common;
using System.Globalization;

namespace Synapse.Persistence.Audit;

/// <summary>
/// One latency histogram of a usage row or answer: how many completions had the time, its sum
/// (ms), and the count per bin of its bounds (<see cref="UsageSql.LatencyBounds"/> or
/// <see cref="UsageSql.GatewayBounds"/>).
/// </summary>
internal sealed class UsageHistogram(int bins)
{
    public long Count { get; private set; }

    public long Sum { get; private set; }

    public long[] Bins { get; } = new long[bins];

    /// <summary>Reads <c>count, sum, bin…</c> from <paramref name="ordinal"/> on; NULL (no rows) reads as 0.</summary>
    public static UsageHistogram Read(DbDataReader reader, int ordinal, int bins)
    {
        var histogram = new UsageHistogram(bins) { Count = Long(reader, ordinal), Sum = Long(reader, ordinal + 1) };
        for (var i = 0; i < bins; i++)
        {
            histogram.Bins[i] = Long(reader, ordinal + 2 + i);
        }

        return histogram;
    }

    public void Add(UsageHistogram other)
    {
        Count += other.Count;
        Sum += other.Sum;
        for (var i = 0; i < Bins.Length; i++)
        {
            Bins[i] += other.Bins[i];
        }
    }

    private static long Long(DbDataReader r, int ordinal) => r.IsDBNull(ordinal) ? 0 : Convert.ToInt64(r.GetValue(ordinal), CultureInfo.InvariantCulture);
}
