using System.Diagnostics;

namespace Synapse.LoadHarness.Reporting;

/// <summary>Exact percentiles (nearest rank) of a set of latencies, in milliseconds.</summary>
internal sealed record LatencySummary(int Count, double Mean, double P50, double P90, double P99, double P999, double Max)
{
    public static LatencySummary From(ReadOnlySpan<long> ticks)
    {
        if (ticks.IsEmpty)
        {
            return new LatencySummary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = ticks.ToArray();
        Array.Sort(sorted);
        double Ms(long t) => t * 1000.0 / Stopwatch.Frequency;
        double At(double percentile) => Ms(sorted[Math.Clamp((int)Math.Ceiling(percentile / 100 * sorted.Length) - 1, 0, sorted.Length - 1)]);
        var sum = 0.0;
        foreach (var t in sorted)
        {
            sum += t;
        }

        return new LatencySummary(sorted.Length, Ms(1) * sum / sorted.Length, At(50), At(90), At(99), At(99.9), Ms(sorted[^1]));
    }
}
