using Synapse.Persistence.Audit;

namespace Synapse.Gateway.Admin;

/// <summary>
/// The answer of <c>GET /usage</c>: bucket starts (UTC) and, per group, one value per bucket.
/// <see cref="From"/> is rounded down and <see cref="To"/> up to whole buckets. A request is counted
/// once, in the minute it ended: refusals when refused, admitted requests at their completion.
/// </summary>
public sealed record UsageView(
    DateTimeOffset From,
    DateTimeOffset To,
    string Bucket,
    string GroupBy,
    IReadOnlyList<DateTimeOffset> Buckets,
    IReadOnlyList<UsageSeriesView> Series,
    UsageTotalsView Totals,
    LatencyView Latency)
{
    public static UsageView Of(UsageResult result, DateTimeOffset from, DateTimeOffset to, string bucket, string groupBy, IReadOnlyDictionary<string, string> labels)
    {
        ArgumentNullException.ThrowIfNull(result);
        var buckets = result.Buckets.Select(DateTimeOffset.FromUnixTimeMilliseconds).ToList();
        var series = result.Series.Select(s => new UsageSeriesView(
            s.Group, s.Group is { } g && labels.TryGetValue(g, out var label) ? label : null, s.Requests.Sum(), s.Requests, s.PromptTokens, s.CompletionTokens)).ToList();
        var totals = new UsageTotalsView(series.Sum(s => s.TotalRequests), series.Sum(s => s.PromptTokens.Sum()), series.Sum(s => s.CompletionTokens.Sum()));
        var size = bucket == "minute" ? 60_000L : 3_600_000L;
        return new UsageView(
            buckets.Count > 0 ? buckets[0] : from,
            buckets.Count > 0 ? buckets[^1].AddMilliseconds(size) : to,
            bucket,
            groupBy,
            buckets,
            series,
            totals,
            LatencyView.From(result));
    }
}

/// <summary>One group (an outcome class, or a team, key, model or provider id with its name as <see cref="Label"/>; <c>other</c> sums the rest).</summary>
public sealed record UsageSeriesView(string? Group, string? Label, long TotalRequests, long[] Requests, long[] PromptTokens, long[] CompletionTokens);

public sealed record UsageTotalsView(long Requests, long PromptTokens, long CompletionTokens);

/// <summary>
/// Provider-call latency of the completions in range (<c>latency_ms</c>: from the provider call's
/// start to its end, retries included), estimated from a histogram: exact to within its bin.
/// </summary>
public sealed record LatencyView(long Completions, double? MeanMs, double? P50Ms, double? P95Ms)
{
    public static LatencyView From(UsageResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.LatencyCount == 0)
        {
            return new LatencyView(0, null, null, null);
        }

        return new LatencyView(result.LatencyCount, (double)result.LatencySum / result.LatencyCount, Quantile(result, 0.50), Quantile(result, 0.95));
    }

    private static double Quantile(UsageResult result, double q)
    {
        var bounds = UsageResult.LatencyBounds;
        var rank = q * result.LatencyCount;
        long seen = 0;
        for (var i = 0; i < result.LatencyBins.Length; i++)
        {
            var inBin = result.LatencyBins[i];
            if (inBin > 0 && seen + inBin >= rank)
            {
                var low = i == 0 ? 0 : bounds[i - 1];
                if (i == bounds.Count)
                {
                    return low;
                }

                return low + ((bounds[i] - low) * (rank - seen) / inBin);
            }

            seen += inBin;
        }

        return bounds[^1];
    }
}
